/**
 * A source of local time in milliseconds. The sync engine never reads a clock of its own; the
 * page passes one in (in the browser `performance.timeOrigin + performance.now()`, which is
 * monotonic, unlike `Date.now()`), and the tests pass a fake one.
 */
export interface Clock {
  now(): number
}

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  #now: number

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  advance(ms: number): void {
    this.#now += ms
  }

  set(ms: number): void {
    this.#now = ms
  }
}
