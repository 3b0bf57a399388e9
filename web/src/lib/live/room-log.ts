import type { RevisionedSessionEvent } from '@tandem/contracts'

export interface ChatEntry {
  revision: number
  messageId: string
  userId: string
  text: string
  /** where the video was when it was written, seconds */
  videoPosition: number
  /** server time, ms */
  at: number
}

/** A reaction someone sent, at a moment of the video. */
export interface ReactionEntry {
  revision: number
  userId: string
  emoji: string
  /** seconds */
  videoPosition: number
  at: number
}

/** Who paused, played, seeked or changed the rate, and where: marks on the timeline. */
export interface ControlMark {
  revision: number
  userId: string
  kind: 'play' | 'pause' | 'seek' | 'rate'
  /** seconds */
  position: number
  /** for a seek: where the video was before */
  from?: number
  /** for a rate change */
  rate?: number
  at: number
}

/**
 * The chat and control history of a session as far as this client has seen it: live events,
 * `since` replays and backward `history` pages, merged by revision (each event kept once).
 */
export class RoomLog {
  readonly #chat = new Map<number, ChatEntry>()
  readonly #marks = new Map<number, ControlMark>()
  readonly #reactions = new Map<number, ReactionEntry>()
  /** revisions below this have not been paged in yet; undefined before the first page */
  #pagedDownTo: number | undefined
  #hasMore = true

  /** Adds events from any source; true if anything new was shown. */
  add(events: readonly RevisionedSessionEvent[]): boolean {
    let changed = false
    for (const { revision, event } of events) {
      if (this.#chat.has(revision) || this.#marks.has(revision) || this.#reactions.has(revision)) continue
      const base = { revision, userId: event.by, at: event.at }
      switch (event.type) {
        case 'ChatMessagePosted':
          this.#chat.set(revision, { ...base, messageId: event.data.messageId, text: event.data.text, videoPosition: event.data.videoPosition })
          changed = true
          break
        case 'PlaybackStarted':
          this.#marks.set(revision, { ...base, kind: 'play', position: event.data.position })
          changed = true
          break
        case 'PlaybackPaused':
          this.#marks.set(revision, { ...base, kind: 'pause', position: event.data.position })
          changed = true
          break
        case 'PlaybackSeeked':
          this.#marks.set(revision, { ...base, kind: 'seek', position: event.data.position, from: event.data.from })
          changed = true
          break
        case 'PlaybackRateChanged':
          this.#marks.set(revision, { ...base, kind: 'rate', position: event.data.position, rate: event.data.rate })
          changed = true
          break
        case 'ReactionSent':
          this.#reactions.set(revision, { ...base, emoji: event.data.emoji, videoPosition: event.data.videoPosition })
          changed = true
          break
        default:
          break
      }
    }
    return changed
  }

  /** A `history` page (newest first) answering a request for events before `cursor`. */
  addPage(events: readonly RevisionedSessionEvent[], hasMore: boolean): boolean {
    const changed = this.add(events)
    const oldest = events.reduce((min, e) => Math.min(min, e.revision), Number.POSITIVE_INFINITY)
    if (Number.isFinite(oldest)) this.#pagedDownTo = Math.min(this.#pagedDownTo ?? oldest, oldest)
    this.#hasMore = hasMore && oldest > 0
    return changed
  }

  /** `before` of the next history request (undefined: ask for the newest page). */
  get nextPageBefore(): number | undefined {
    return this.#pagedDownTo
  }

  /** True until a history page said there is nothing older. */
  get hasMore(): boolean {
    return this.#hasMore
  }

  /** Chat messages in the order they were written. */
  chat(): ChatEntry[] {
    return [...this.#chat.values()].sort((a, b) => a.revision - b.revision)
  }

  marks(): ControlMark[] {
    return [...this.#marks.values()].sort((a, b) => a.revision - b.revision)
  }

  /** Reactions in the order they were sent. */
  reactions(): ReactionEntry[] {
    return [...this.#reactions.values()].sort((a, b) => a.revision - b.revision)
  }
}

/**
 * The "replay" view of the chat (or of reactions): entries in the order of the moment of the
 * video they were written at, each shown once the video has reached that moment.
 */
export function replayVisible<T extends { revision: number; videoPosition: number }>(chat: readonly T[], currentTime: number): T[] {
  return chat
    .filter((m) => m.videoPosition <= currentTime)
    .sort((a, b) => a.videoPosition - b.videoPosition || a.revision - b.revision)
}
