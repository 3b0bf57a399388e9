import type { FastifyBaseLogger } from 'fastify'
import type { Checkpoint, CheckpointStore } from '../event-store/checkpoint-store.ts'

export interface CheckpointWriterOptions {
  store: CheckpointStore
  name: string
  log: FastifyBaseLogger
  /** Saves once at least this many events were applied since the last save… */
  everyEvents: number
  /** …and at least this long after the last save (or failed attempt). */
  everyMs: number
  /** The projection's checkpoint as of now; null when there is nothing to save yet. */
  capture(): Checkpoint | null
  now?: () => number
}

/**
 * Saves a projection's checkpoint now and then in the background: the projection counts the events
 * it applies and never waits for a save. A failed save is logged; the events it covered count
 * towards the next attempt, `everyMs` later.
 */
export class CheckpointWriter {
  readonly #options: CheckpointWriterOptions
  readonly #now: () => number
  /** Events applied since the last successful save (or since the in-flight save's capture). */
  #unsaved = 0
  #lastAttemptAt: number
  #saving: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(options: CheckpointWriterOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
    this.#lastAttemptAt = this.#now()
  }

  /** Checks on a timer too, so that a feed gone quiet still has its last events saved. */
  start(): void {
    this.#timer ??= setInterval(() => this.#saveIfDue(), Math.max(this.#options.everyMs, 100))
    this.#timer.unref()
  }

  /** Counts one applied event; starts a save in the background when one is due. */
  applied(): void {
    this.#unsaved++
    if (this.#unsaved >= this.#options.everyEvents) this.#saveIfDue()
  }

  /** Stops the timer, then saves what is not saved yet. Never throws. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#saving
    if (this.#unsaved > 0) await this.#save()
  }

  #saveIfDue(): void {
    if (this.#saving || this.#unsaved < this.#options.everyEvents) return
    if (this.#now() - this.#lastAttemptAt < this.#options.everyMs) return
    this.#saving = this.#save().finally(() => (this.#saving = undefined))
  }

  async #save(): Promise<void> {
    const checkpoint = this.#options.capture()
    if (!checkpoint) return
    const covered = this.#unsaved
    this.#unsaved = 0
    this.#lastAttemptAt = this.#now()
    try {
      await this.#options.store.save(this.#options.name, checkpoint)
    } catch (err) {
      this.#unsaved += covered
      this.#options.log.warn({ err, checkpoint: this.#options.name }, 'saving a checkpoint failed; trying again later')
    }
  }
}
