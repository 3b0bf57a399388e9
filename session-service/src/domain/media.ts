import {
  MEDIA_LIMITS,
  REACTIONS,
  SESSION_LIMITS,
  charCount,
  type LocalFile,
  type MediaItem,
  type MediaItemInput,
  type RejectCode,
} from '@tandem/contracts'
import { isStorableText } from './text.ts'

/** Why an item a client proposed cannot be queued, in the words a reject carries. */
export interface ItemRefusal {
  code: RejectCode
  message: string
}

/** Whether `value` is an http(s) URL the service stores: no other scheme (javascript:, data:, file:). */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > SESSION_LIMITS.videoUrlMaxChars || !isStorableText(value)) return false
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * The queue item `input` describes, with the id the decider gave it, or why it cannot be one.
 * A title is trimmed (empty when none was given); a local file needs its name, size and duration.
 */
export function mediaItemOf(input: MediaItemInput, itemId: string, addedBy: string): MediaItem | ItemRefusal {
  if (typeof input !== 'object' || input === null) return { code: 'invalid_item', message: 'each item must be an object' }
  // Absent means url; anything else, null included, must name a kind.
  const kind = input.kind === undefined ? 'url' : input.kind
  if (kind !== 'url' && kind !== 'local') return { code: 'invalid_item', message: 'kind must be url or local' }
  const title = typeof input.title === 'string' ? input.title.trim() : ''
  if (input.title !== undefined && typeof input.title !== 'string') return { code: 'invalid_title', message: 'title must be text' }
  if (charCount(title) > SESSION_LIMITS.titleMaxChars || !isStorableText(title)) {
    return { code: 'invalid_title', message: `title must be at most ${SESSION_LIMITS.titleMaxChars} characters of text` }
  }
  const subtitlesUrl = input.subtitlesUrl ?? null
  if (subtitlesUrl !== null && !isHttpUrl(subtitlesUrl)) {
    return { code: 'invalid_subtitles_url', message: 'subtitlesUrl must be an http(s) URL of a WebVTT file' }
  }
  if (kind === 'url') {
    if (!isHttpUrl(input.url)) return { code: 'invalid_video_url', message: 'url must be an http(s) URL' }
    return { itemId, kind, url: input.url, title, subtitlesUrl, file: null, addedBy }
  }
  if (!isLocalFile(input.file)) {
    return { code: 'invalid_local_file', message: `a local file needs its name (1–${SESSION_LIMITS.fileNameMaxChars} characters), size in bytes and duration in seconds` }
  }
  const { name, size, duration } = input.file
  return { itemId, kind, url: '', title, subtitlesUrl, file: { name, size, duration }, addedBy }
}

function isLocalFile(file: unknown): file is LocalFile {
  if (typeof file !== 'object' || file === null) return false
  const { name, size, duration } = file as Record<string, unknown>
  return (
    typeof name === 'string' && name.length > 0 && charCount(name) <= SESSION_LIMITS.fileNameMaxChars && isStorableText(name) &&
    Number.isSafeInteger(size) && (size as number) >= 0 &&
    typeof duration === 'number' && Number.isFinite(duration) && duration > 0 && duration <= SESSION_LIMITS.maxPosition
  )
}

export function isReaction(emoji: unknown): boolean {
  return typeof emoji === 'string' && (REACTIONS as readonly string[]).includes(emoji)
}

export const QUEUE_FULL_MESSAGE = `the queue holds at most ${MEDIA_LIMITS.queueMaxItems} videos`
