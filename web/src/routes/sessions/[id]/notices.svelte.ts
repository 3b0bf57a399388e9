import type { CommandOutcome } from '$lib/live/index.ts'

const NOTICE_MS = 4000

export const REJECTIONS: Record<string, string> = {
  not_host: 'Only the host controls playback in this session.',
  not_member: 'You are no longer a member of this session.',
  invalid_target: 'They are no longer a member of this session.',
  session_ended: 'This session has ended.',
  rate_limited: 'Slow down a little.',
  closed: 'Not connected to the session.',
  queue_full: 'The queue is full: it holds at most 100 videos.',
  invalid_video_url: 'Only http(s) links can be played.',
  invalid_subtitles_url: 'Subtitles must be an http(s) link to a WebVTT file.',
  invalid_local_file: 'A local file needs its name, size and length.',
  invalid_item: 'That video cannot be queued.',
  item_not_found: 'That video is no longer in the queue.',
  invalid_index: 'The queue changed meanwhile; try again.',
}

/** The short message under the player: a refused command, a rate limit; it goes away by itself. */
export class Notices {
  notice: string | null = $state(null)
  #timer: ReturnType<typeof setTimeout> | undefined

  say(message: string): void {
    this.notice = message
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => (this.notice = null), NOTICE_MS)
  }

  destroy(): void {
    clearTimeout(this.#timer)
  }
}

/** A refused command as a sentence for the viewer. */
export function rejection(outcome: Extract<CommandOutcome, { ok: false }>): string {
  const known = REJECTIONS[outcome.code]
  if (known) return known
  const text = outcome.message || 'That did not work.'
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.')
}
