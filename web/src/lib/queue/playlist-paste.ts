import { MEDIA_LIMITS, SESSION_LIMITS, charCount, type MediaItemInput } from '@tandem/contracts'
import { checkLink } from './source-check.ts'

/** A paste longer than this (UTF-8 bytes) is refused as a whole. */
export const PASTE_MAX_BYTES = 64 * 1024

export interface PasteLineError {
  /** 1-based, as an editor counts */
  line: number
  message: string
}

export type PasteResult =
  | { ok: true; items: MediaItemInput[] }
  | { ok: false; message: string; lines: PasteLineError[] }

const bytes = (text: string): number => new TextEncoder().encode(text).length

/**
 * A pasted list of links, one a line, as queue items: a line is a link, optionally followed by
 * a title (`https://… Part two`); blank lines and comments (`#…`, as in an .m3u file) are
 * skipped. Nothing is queued unless every line is good and all of them fit the `freePlaces`
 * left in the queue.
 */
export function parsePaste(text: string, freePlaces: number): PasteResult {
  const size = bytes(text)
  if (size > PASTE_MAX_BYTES) {
    return { ok: false, message: `This paste is ${Math.ceil(size / 1024)} KB; paste at most ${PASTE_MAX_BYTES / 1024} KB at a time.`, lines: [] }
  }
  const items: MediaItemInput[] = []
  const lines: PasteLineError[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const [link = '', ...words] = line.split(/\s+/)
    const title = words.join(' ')
    const bad = checkLink(link)
    if (bad) lines.push({ line: index + 1, message: bad.message })
    else if (charCount(title) > SESSION_LIMITS.titleMaxChars) lines.push({ line: index + 1, message: `Keep the title to ${SESSION_LIMITS.titleMaxChars} characters.` })
    else items.push(title === '' ? { kind: 'url', url: link } : { kind: 'url', url: link, title })
  }
  if (lines.length > 0) {
    const which = lines.length === 1 ? 'One line is' : `${lines.length} lines are`
    return { ok: false, message: `${which} not a playable link; nothing was added.`, lines }
  }
  if (items.length === 0) return { ok: false, message: 'Paste at least one link.', lines: [] }
  if (items.length > freePlaces) {
    const room = freePlaces === 0 ? 'The queue is full' : `The queue has room for ${freePlaces} more ${freePlaces === 1 ? 'video' : 'videos'}`
    return { ok: false, message: `${room} (at most ${MEDIA_LIMITS.queueMaxItems}); this paste has ${items.length}. Nothing was added.`, lines: [] }
  }
  return { ok: true, items }
}

/** Room left in a command frame for the command id and the envelope: `{"type":"command","id":"…","command":…}`. */
const ENVELOPE_BYTES = 128

/**
 * `items` in `queueAdd` parts that the room accepts one by one: at most `addMaxItems` items,
 * each part's frame within `maxFrameBytes`. Order is kept.
 */
export function addParts(items: readonly MediaItemInput[], maxFrameBytes = SESSION_LIMITS.maxFrameBytes): MediaItemInput[][] {
  const budget = maxFrameBytes - ENVELOPE_BYTES - bytes('{"type":"queueAdd","items":[]}')
  const parts: MediaItemInput[][] = []
  let part: MediaItemInput[] = []
  let used = 0
  for (const item of items) {
    const size = bytes(JSON.stringify(item)) + 1
    if (part.length > 0 && (part.length === MEDIA_LIMITS.addMaxItems || used + size > budget)) {
      parts.push(part)
      part = []
      used = 0
    }
    part.push(item)
    used += size
  }
  if (part.length > 0) parts.push(part)
  return parts
}
