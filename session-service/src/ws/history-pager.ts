import type { StoredSessionEvent } from '../stream/session-stream.ts'
import type { SocketOutput } from './socket-output.ts'

export interface HistoryPagerOptions {
  /** Up to `limit` events before revision `before` (or the latest), newest first. */
  read(before: number | undefined, limit: number): Promise<{ events: StoredSessionEvent[]; hasMore: boolean }>
  /** Whether the socket is open (pages still waiting are dropped when it is not). */
  isOpen(): boolean
  onError(err: unknown): void
}

/**
 * The history pages one socket asks for, read one at a time: a client asking for many at once
 * would otherwise queue that many store reads ahead of everyone's commands, even when it reads
 * nothing (it is closed as a slow consumer before most of them are read).
 */
export class HistoryPager {
  readonly #waiting: Array<{ before: number | undefined; limit: number }> = []
  #reading = false

  constructor(
    private readonly out: SocketOutput,
    private readonly options: HistoryPagerOptions,
  ) {}

  request(before: number | undefined, limit: number): void {
    this.#waiting.push({ before, limit })
    void this.#readWaiting()
  }

  async #readWaiting(): Promise<void> {
    if (this.#reading) return
    this.#reading = true
    try {
      for (let next = this.#waiting.shift(); next && this.options.isOpen(); next = this.#waiting.shift()) {
        await this.#page(next.before, next.limit)
      }
    } finally {
      this.#reading = false
    }
  }

  async #page(before: number | undefined, limit: number): Promise<void> {
    try {
      const page = await this.options.read(before, limit)
      this.out.send({ type: 'history', events: page.events.map(({ revision, event }) => ({ revision, event })), hasMore: page.hasMore })
    } catch (err) {
      this.options.onError(err)
      this.out.error('internal', 'history is unavailable; retry')
    }
  }
}
