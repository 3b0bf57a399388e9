/**
 * What to do with an event frame:
 * - `apply`: the next revision after the state we hold: evolve the state with it
 * - `log-only`: already part of the state (a `since` replay up to the welcome's revision), but
 *   new to the chat and control history
 * - `duplicate`: seen before
 * - `gap`: revisions are missing; the socket must be re-opened with `since` so that the server
 *   reads them from the store
 */
export type EventVerdict = 'apply' | 'log-only' | 'duplicate' | 'gap'

/**
 * Keeps events strictly in revision order across reconnects. `since` is the last revision
 * processed without a hole; it is what a reconnect sends in `hello`.
 */
export class RevisionTracker {
  /** last revision processed, contiguously */
  #processed: number | undefined
  /** revision of the state held (the welcome's, then every applied event's) */
  #state: number | undefined

  get since(): number | undefined {
    return this.#processed
  }

  get stateRevision(): number | undefined {
    return this.#state
  }

  /**
   * `welcome{revision}` arrived in answer to `hello{since}`: its state is at `revision`, and the
   * server goes on to replay the events after `since` (up to `revision`), then live ones.
   */
  welcome(revision: number, sentSince: number | undefined): void {
    this.#state = revision
    this.#processed = sentSince === undefined ? revision : Math.min(sentSince, revision)
  }

  event(revision: number): EventVerdict {
    const processed = this.#processed
    const state = this.#state
    if (processed === undefined || state === undefined || revision <= processed) return 'duplicate'
    if (revision > processed + 1) return 'gap'
    this.#processed = revision
    if (revision <= state) return 'log-only'
    this.#state = revision
    return 'apply'
  }
}
