/**
 * At most `limit` reactions per user within any `windowMs`, counted by one session's room on
 * one replica (so every socket of a user shares the count). A refused reaction is not counted.
 */
export class ReactionLimit {
  /** Per user, when their counted reactions were taken, oldest first. */
  readonly #taken = new Map<string, number[]>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts a reaction of `userId` and says whether it is within the limit. */
  take(userId: string): boolean {
    const t = this.now()
    const recent = (this.#taken.get(userId) ?? []).filter((at) => at > t - this.windowMs)
    if (recent.length >= this.limit) {
      this.#taken.set(userId, recent)
      return false
    }
    recent.push(t)
    this.#taken.set(userId, recent)
    if (this.#taken.size > MAX_USERS_BEFORE_SWEEP) this.#sweep(t)
    return true
  }

  /** Forgets users with nothing left in the window, so a long-lived room stays small. */
  #sweep(t: number): void {
    for (const [userId, times] of this.#taken) {
      if (times[times.length - 1]! <= t - this.windowMs) this.#taken.delete(userId)
    }
  }

  /** Users with reactions still remembered (for tests). */
  get size(): number {
    return this.#taken.size
  }
}

const MAX_USERS_BEFORE_SWEEP = 1000
