import type pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'
import type { JetStreamClient } from 'nats'
import { ensureStream, type NatsClient } from '@tandem/service-kit'
import type { NatsTopology } from '@tandem/contracts'
import { subjectFor, type OutboxEventType } from './outbox.ts'

export interface OutboxRelayOptions {
  pool: pg.Pool
  nats: NatsClient
  topology: NatsTopology
  log: FastifyBaseLogger
  /** Pending rows are looked for at least this often (and at once after `wake()`). */
  pollIntervalMs: number
  batchSize: number
  /** How long to wait for JetStream to acknowledge one publish. */
  publishTimeoutMs?: number
}

interface PendingRow {
  id: string
  event_type: OutboxEventType
  payload: unknown
}

/**
 * Publishes outbox rows to JetStream and marks them published. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so replicas relaying the same table never claim the same row; the
 * event id is the JetStream `msgID`, so a row published again after a crash between publish
 * and commit is dropped by the stream as a duplicate. While NATS is down rows wait.
 */
export class OutboxRelay {
  /** Rows this relay published (acknowledged by JetStream, duplicates included). */
  publishedCount = 0
  #running: Promise<void> | undefined
  #stopped = false
  #streamReady = false
  #wakeUp: (() => void) | undefined
  #woken = false

  constructor(private readonly opts: OutboxRelayOptions) {}

  start(): void {
    if (this.#running) return
    this.opts.nats.connected.then(() => this.wake(), () => {})
    this.#running = this.#loop()
  }

  /** Looks for pending rows now instead of at the next poll (call after committing an event). */
  wake(): void {
    this.#woken = true
    this.#wakeUp?.()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.wake()
    await this.#running
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let moreWaiting = false
      try {
        moreWaiting = await this.relayOnce()
      } catch (err) {
        this.#streamReady = false
        this.opts.log.warn({ err }, 'outbox relay: publishing failed, will retry')
      }
      if (!moreWaiting) await this.#sleep()
    }
  }

  /**
   * Publishes one batch of pending rows if NATS is connected. Returns true when a full batch
   * went out (so more may be waiting).
   */
  async relayOnce(): Promise<boolean> {
    const nc = this.opts.nats.connection
    if (!nc || !this.opts.nats.isConnected()) return false
    const { usersStream, userRegistered } = this.opts.topology
    if (!this.#streamReady) {
      await ensureStream(nc, usersStream, [userRegistered])
      this.#streamReady = true
    }
    const published = await this.#publishBatch(nc.jetstream())
    return published === this.opts.batchSize
  }

  async #publishBatch(js: JetStreamClient): Promise<number> {
    const client = await this.opts.pool.connect()
    let failure: unknown
    const done: string[] = []
    try {
      await client.query('BEGIN')
      const { rows } = await client.query<PendingRow>(
        `SELECT id, event_type, payload FROM outbox WHERE published_at IS NULL
          ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.opts.batchSize],
      )
      for (const row of rows) {
        try {
          const ack = await js.publish(subjectFor(row.event_type, this.opts.topology), JSON.stringify(row.payload), {
            msgID: row.id,
            timeout: this.opts.publishTimeoutMs ?? 5000,
          })
          done.push(row.id)
          this.publishedCount++
          this.opts.log.debug({ eventId: row.id, seq: ack.seq, duplicate: ack.duplicate }, 'outbox event published')
        } catch (err) {
          failure = err
          break
        }
      }
      if (done.length > 0) await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [done])
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      client.release()
    }
    if (failure) throw failure
    return done.length
  }

  #sleep(): Promise<void> {
    if (this.#woken || this.#stopped) {
      this.#woken = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer)
        this.#wakeUp = undefined
        this.#woken = false
        resolve()
      }
      const timer = setTimeout(finish, this.opts.pollIntervalMs)
      this.#wakeUp = finish
    })
  }
}
