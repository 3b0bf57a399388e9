import type { PresenceMessage, PresenceViewer } from '@tandem/contracts'
import type { People } from './people.svelte.ts'

/** presence reports: at least this often, and at once when buffering starts or stops */
const REPORT_EVERY_MS = 3000
/** after a play, pause or seek, the next report goes out this soon */
const REPORT_AFTER_CHANGE_MS = 600

/** Where this player's reports go: the session socket. */
export interface ReportSink {
  readonly isOpen: boolean
  report(position: number, buffering: boolean): void
}

/** Who is watching (from the server's presence frames), and this player's reports to the room. */
export class Presence {
  viewers: PresenceViewer[] = $state.raw([])
  /** everyone watching (a large room's presence lists only some of them) */
  watchingCount = $state(0)
  #lastReport = { at: Number.NEGATIVE_INFINITY, buffering: false }

  readonly #people: People
  readonly #sink: ReportSink

  constructor(people: People, sink: ReportSink) {
    this.#people = people
    this.#sink = sink
  }

  onPresence(message: PresenceMessage): void {
    this.viewers = message.viewers
    this.watchingCount = message.total
    this.#people.want(message.viewers.map((v) => v.userId))
  }

  /** Reports where the player is, unless a report went out recently and buffering is unchanged. */
  report(now: number, position: number, buffering: boolean): void {
    if (buffering === this.#lastReport.buffering && now - this.#lastReport.at < REPORT_EVERY_MS) return
    if (!this.#sink.isOpen) return
    this.#sink.report(position, buffering)
    this.#lastReport = { at: now, buffering }
  }

  /** The shared playback changed: tell the room where this player is once it has followed (a seek takes a moment). */
  reportSoon(now: number): void {
    this.#lastReport = { ...this.#lastReport, at: now - REPORT_EVERY_MS + REPORT_AFTER_CHANGE_MS }
  }
}
