import { encodeEventFrame, type WelcomeMessage } from '@tandem/contracts'
import type { LiveSession } from '../live/live-session.ts'
import type { StoredSessionEvent } from '../stream/session-stream.ts'
import type { SocketOutput } from './socket-output.ts'

/** Events read from the store per page of a replay. */
const REPLAY_PAGE = 500

export interface EventFeedOptions {
  /** Events of the session after `revision`, oldest first. */
  readAfter(revision: number, maxCount: number): Promise<StoredSessionEvent[]>
  /** Whether the socket is open (a replay stops when it is not). */
  isOpen(): boolean
  /** Too many live frames piled up during a replay: the client is a slow consumer. */
  onOverflow(): void
  maxHeldEvents: number
  maxBufferedBytes: number
}

/**
 * The events one socket receives, strictly by revision: the welcome at the session's revision,
 * then what the client missed since the `since` it sent (read from the store), then the live
 * events. Live frames that arrive during the replay are held and sent after it.
 */
export class EventFeed {
  /** Frames that arrived while the replay was being read; null once live. */
  #held: Array<string | Buffer> | null = null
  #owed: { since: number; upTo: number } | null = null
  #stop: (() => void) | undefined

  constructor(
    private readonly out: SocketOutput,
    private readonly options: EventFeedOptions,
  ) {}

  /**
   * Sends the welcome and follows `live` from its revision. The caller reads the state for the
   * welcome and calls this without awaiting in between, so no event falls between the welcome's
   * revision and the first live event. The missed events are owed until `replay()`.
   */
  follow(live: Pick<LiveSession, 'onEvent'>, since: number | undefined, welcome: WelcomeMessage): void {
    const revision = welcome.revision
    const from = Math.min(since ?? revision, revision)
    if (from < revision) {
      this.#held = []
      this.#owed = { since: from, upTo: revision }
    }
    this.#stop = live.onEvent((_stored, frame) => this.deliver(frame))
    this.out.send(welcome)
  }

  /** A frame in event order: an event, or an ack that must not overtake the event it answers. */
  deliver(frame: string | Buffer): void {
    if (this.#held) {
      if (this.#held.length >= this.options.maxHeldEvents) return this.options.onOverflow()
      this.#held.push(frame)
      return
    }
    this.out.frame(frame)
  }

  /** Sends the owed events (since, upTo] from the store, then what arrived live meanwhile. */
  async replay(): Promise<void> {
    const owed = this.#owed
    if (!owed) return
    this.#owed = null
    let after = owed.since
    while (after < owed.upTo && this.options.isOpen()) {
      const page = await this.options.readAfter(after, Math.min(REPLAY_PAGE, owed.upTo - after))
      if (page.length === 0) break
      for (const stored of page) if (stored.revision <= owed.upTo) this.out.frame(encodeEventFrame(stored.revision, stored.event))
      after = page[page.length - 1]!.revision
      // Let the socket drain before reading the next page.
      while (this.options.isOpen() && this.out.bufferedBytes > this.options.maxBufferedBytes / 2) {
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    const held = this.#held ?? []
    this.#held = null
    for (const frame of held) this.out.frame(frame)
  }

  /** Stops following the session. */
  stop(): void {
    this.#stop?.()
  }
}
