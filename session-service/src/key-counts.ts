/** A count per key that forgets a key once its count is back to zero, so the map stays as small as what is counted. */
export class KeyCounts {
  readonly #counts = new Map<string, number>()

  get(key: string): number {
    return this.#counts.get(key) ?? 0
  }

  add(key: string, change: number): void {
    const count = this.get(key) + change
    if (count > 0) this.#counts.set(key, count)
    else this.#counts.delete(key)
  }

  /** How many keys have a count. */
  get size(): number {
    return this.#counts.size
  }
}
