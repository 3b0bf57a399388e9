import type { HistoryMessage, HistoryRequestMessage } from '@tandem/contracts'

interface Waiter {
  request: HistoryRequestMessage
  resolve(page: HistoryMessage): void
}

/**
 * History pages asked for over the socket. Answers come in the order of the requests, so one is
 * in flight at a time; the unanswered one is asked for again after a reconnect.
 */
export class HistoryRequests {
  readonly #waiters: Waiter[] = []

  /** Queues a request; `first` is set when it is the only one and may go out now. */
  ask(before: number | undefined, limit: number): { page: Promise<HistoryMessage>; first?: HistoryRequestMessage } {
    const request: HistoryRequestMessage = before === undefined ? { type: 'history', limit } : { type: 'history', before, limit }
    const page = new Promise<HistoryMessage>((resolve) => this.#waiters.push({ request, resolve }))
    return this.#waiters.length === 1 ? { page, first: request } : { page }
  }

  /** The oldest request was answered; returns the next request to send, if any. */
  answered(page: HistoryMessage): HistoryRequestMessage | undefined {
    this.#waiters.shift()?.resolve(page)
    return this.waiting
  }

  /** The request in flight (to send again on a new socket). */
  get waiting(): HistoryRequestMessage | undefined {
    return this.#waiters[0]?.request
  }
}
