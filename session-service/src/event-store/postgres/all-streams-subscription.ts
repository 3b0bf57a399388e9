import type { AllStreamsSubscription, GlobalPosition, RecordedEvent } from '../event-store.ts'

export interface FeedCursor {
  transactionId: string
  globalPosition: string
}

export interface PollingSubscriptionOptions {
  from: GlobalPosition | 'start'
  pollIntervalMs: number
  /** Registers a wake-up callback; returns its unregister function. */
  onWake(wake: () => void): () => void
  /** Events after the cursor, in feed order; fewer than a full page means caught up. */
  readPage(after: FeedCursor): Promise<RecordedEvent[]>
  onClose(): void
}

export function parsePosition(position: GlobalPosition | 'start'): FeedCursor {
  if (position === 'start') return { transactionId: '0', globalPosition: '0' }
  const match = /^(\d+):(\d+)$/.exec(position)
  if (!match) throw new Error(`not a PostgreSQL event store position: ${position}`)
  return { transactionId: match[1]!, globalPosition: match[2]! }
}

/**
 * A catch-up subscription that reads pages until it is caught up, then sleeps until woken (an
 * append in this process) or until the poll interval passes (appends by other processes).
 */
export function subscribeAllByPolling(options: PollingSubscriptionOptions): AllStreamsSubscription {
  let closed = false
  let woken = false
  let sleeper: { resolve: () => void; timer: NodeJS.Timeout } | undefined
  const wake = (): void => {
    woken = true
    if (sleeper) {
      clearTimeout(sleeper.timer)
      sleeper.resolve()
      sleeper = undefined
    }
  }
  const unregister = options.onWake(wake)
  let cleanedUp = false
  const cleanUp = (): void => {
    if (cleanedUp) return
    cleanedUp = true
    unregister()
    options.onClose()
  }
  const sleep = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (woken || closed) return resolve()
      sleeper = { resolve, timer: setTimeout(() => { sleeper = undefined; resolve() }, options.pollIntervalMs) }
    })

  async function* events(): AsyncGenerator<RecordedEvent> {
    let cursor = parsePosition(options.from)
    try {
      while (!closed) {
        woken = false
        const page = await options.readPage(cursor)
        for (const event of page) {
          cursor = parsePosition(event.position)
          yield event
          if (closed) return
        }
        if (page.length === 0) await sleep()
      }
    } finally {
      cleanUp()
    }
  }

  const iterator = events()
  return {
    [Symbol.asyncIterator]: () => iterator,
    async close() {
      closed = true
      wake()
      await iterator.return(undefined)
      // A generator closed before its first `next()` never runs its `finally`.
      cleanUp()
    },
  }
}
