/** Allows bursts up to `capacity`, then `refillPerSecond` on average. */
export class TokenBucket {
  #tokens: number
  #last: number

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.#tokens = capacity
    this.#last = now()
  }

  take(): boolean {
    const t = this.now()
    this.#tokens = Math.min(this.capacity, this.#tokens + ((t - this.#last) / 1000) * this.refillPerSecond)
    this.#last = t
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}

/** Counts offences in a sliding window; `record()` is true once there were more than `limit`. */
export class StrikeCounter {
  readonly #times: number[] = []

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  record(): boolean {
    const t = this.now()
    this.#times.push(t)
    while (this.#times.length > 0 && this.#times[0]! <= t - this.windowMs) this.#times.shift()
    return this.#times.length > this.limit
  }
}

/**
 * Lets a value through at most once per interval; the latest value offered in between is sent
 * when the interval ends, so the last scrub position always arrives.
 */
export class TrailingThrottle<T> {
  #lastSent = -Infinity
  #waiting: { value: T } | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
    private readonly now: () => number,
  ) {}

  offer(value: T): void {
    const t = this.now()
    if (!this.#timer && t - this.#lastSent >= this.intervalMs) {
      this.#lastSent = t
      this.send(value)
      return
    }
    this.#waiting = { value }
    if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), Math.max(0, this.intervalMs - (t - this.#lastSent)))
    }
  }

  #flush(): void {
    this.#timer = undefined
    const waiting = this.#waiting
    this.#waiting = undefined
    if (!waiting) return
    this.#lastSent = this.now()
    this.send(waiting.value)
  }

  cancel(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waiting = undefined
  }
}
