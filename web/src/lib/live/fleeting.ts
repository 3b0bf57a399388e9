import type { Timers } from './timers.ts'

/**
 * A short list of things shown for a moment (reactions floating over the video, the last chat
 * lines over a fullscreen player): each item leaves by itself `lifetimeMs` after it came, and
 * past `limit` the oldest leaves at once. `onChange` hears of the list after every change.
 */
export class Fleeting<T> {
  readonly #items: { id: number; value: T; timer: unknown }[] = []
  readonly #timers: Timers
  readonly #lifetimeMs: number
  readonly #limit: number
  readonly #onChange: (items: { id: number; value: T }[]) => void
  #nextId = 1

  constructor(options: { timers: Timers; lifetimeMs: number; limit: number; onChange: (items: { id: number; value: T }[]) => void }) {
    this.#timers = options.timers
    this.#lifetimeMs = options.lifetimeMs
    this.#limit = options.limit
    this.#onChange = options.onChange
  }

  /** Shows `value`; returns its id (unique in this list, for keyed rendering). */
  add(value: T): number {
    const id = this.#nextId++
    const timer = this.#timers.setTimeout(() => this.#remove(id), this.#lifetimeMs)
    this.#items.push({ id, value, timer })
    while (this.#items.length > this.#limit) this.#timers.clearTimeout(this.#items.shift()!.timer)
    this.#publish()
    return id
  }

  /** Takes everything away now (the page goes). */
  clear(): void {
    for (const item of this.#items.splice(0)) this.#timers.clearTimeout(item.timer)
    this.#publish()
  }

  #remove(id: number): void {
    const index = this.#items.findIndex((item) => item.id === id)
    if (index < 0) return
    this.#items.splice(index, 1)
    this.#publish()
  }

  #publish(): void {
    this.#onChange(this.#items.map(({ id, value }) => ({ id, value })))
  }
}
