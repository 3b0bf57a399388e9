interface Waiting<T, R> {
  item: T
  resolve(result: R): void
  reject(err: unknown): void
}

export interface AppendBatcherOptions {
  /** Batches written at once; the next batch gathers what arrives meanwhile. */
  maxInFlight: number
  /** Most items in one batch. */
  maxBatch: number
}

/**
 * Group commit: while `maxInFlight` writes are running, new items wait and then go together in
 * one write. An item alone (a quiet system) is written at once, never held back for company.
 */
export class AppendBatcher<T, R> {
  readonly #write: (items: T[]) => Promise<Array<PromiseSettledResult<R>>>
  readonly #options: AppendBatcherOptions
  readonly #waiting: Array<Waiting<T, R>> = []
  #inFlight = 0

  /** `write` settles each item of a batch on its own: one refused item need not fail the others. */
  constructor(write: (items: T[]) => Promise<Array<PromiseSettledResult<R>>>, options: AppendBatcherOptions) {
    if (options.maxInFlight < 1 || options.maxBatch < 1) throw new Error('maxInFlight and maxBatch must be at least 1')
    this.#write = write
    this.#options = options
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject })
      this.#drain()
    })
  }

  #drain(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#options.maxBatch)
      this.#inFlight++
      this.#run(batch).finally(() => {
        this.#inFlight--
        this.#drain()
      })
    }
  }

  async #run(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.#write(batch.map((w) => w.item))
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} returned ${results.length} results`)
      batch.forEach((w, i) => {
        const result = results[i]!
        if (result.status === 'fulfilled') w.resolve(result.value)
        else w.reject(result.reason)
      })
    } catch (err) {
      for (const w of batch) w.reject(err)
    }
  }
}
