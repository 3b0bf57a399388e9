import type { Timers } from './timers.ts'

/**
 * Passes on at most one value per interval: the first at once, then the latest one at the end
 * of each interval (so the last position of a drag always goes out).
 */
export class Throttle<T> {
  #timer: unknown
  #waiting: { value: T } | undefined
  #lastSentAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly timers: Timers,
    private readonly now: () => number,
  ) {}

  offer(value: T): void {
    const wait = this.#lastSentAt + this.intervalMs - this.now()
    if (wait <= 0 && this.#timer === undefined) {
      this.#emit(value)
      return
    }
    this.#waiting = { value }
    if (this.#timer === undefined) this.#timer = this.timers.setTimeout(() => this.#flush(), Math.max(0, wait))
  }

  /** Drops a value still waiting (the drag ended and a seek replaces it). */
  cancel(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waiting = undefined
  }

  #flush(): void {
    this.#timer = undefined
    const waiting = this.#waiting
    this.#waiting = undefined
    if (waiting) this.#emit(waiting.value)
  }

  #emit(value: T): void {
    this.#lastSentAt = this.now()
    this.send(value)
  }
}
