import { connect, type NatsConnection, type JetStreamManager, RetentionPolicy } from 'nats'
import type { FastifyBaseLogger } from 'fastify'

export interface NatsClientOptions {
  url: string
  name: string
  log?: FastifyBaseLogger
}

/**
 * A NATS connection that is established in the background and retried forever, so a service
 * starts (and keeps serving what does not need NATS) while the broker is down.
 */
export class NatsClient {
  #connection: NatsConnection | undefined
  #closed = false
  readonly connected: Promise<NatsConnection>

  constructor(readonly options: NatsClientOptions) {
    this.connected = connect({
      servers: options.url,
      name: options.name,
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    }).then((nc) => {
      this.#connection = nc
      options.log?.info({ server: nc.getServer() }, 'NATS connected')
      void this.#watch(nc)
      if (this.#closed) void nc.close()
      return nc
    })
    // An unhandled rejection here would kill the process; callers await `connected` themselves.
    this.connected.catch((err) => options.log?.error({ err }, 'NATS connection failed'))
  }

  /** The connection, or undefined while the first connect is still pending. */
  get connection(): NatsConnection | undefined {
    return this.#connection
  }

  /** True while the connection is up (not before the first connect, not while reconnecting). */
  isConnected(): boolean {
    return this.#connection !== undefined && !this.#connection.isClosed() && this.#up
  }

  #up = true
  readonly #statusListeners = new Set<(type: string) => void>()

  /**
   * Hears each status change of the connection (`disconnect`, `reconnect`, …, as nats.js names
   * them), from the first connect on. Returns the function that stops listening.
   */
  onStatus(listener: (type: string) => void): () => void {
    this.#statusListeners.add(listener)
    return () => this.#statusListeners.delete(listener)
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') this.#up = false
      if (s.type === 'reconnect') this.#up = true
      this.options.log?.info({ status: s.type }, 'NATS status')
      for (const listener of this.#statusListeners) listener(s.type)
    }
  }

  /** Drains (lets in-flight work finish) and closes. Safe to call before the first connect. */
  async close(): Promise<void> {
    this.#closed = true
    const nc = this.#connection
    if (nc && !nc.isClosed()) {
      await nc.drain().catch(() => nc.close())
    }
  }
}

/** Creates a JetStream stream or updates its subjects; returns its manager. */
export async function ensureStream(nc: NatsConnection, name: string, subjects: string[]): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager()
  try {
    await jsm.streams.info(name)
    await jsm.streams.update(name, { subjects })
  } catch (err) {
    if ((err as { code?: string }).code !== '404') throw err
    await jsm.streams.add({ name, subjects, retention: RetentionPolicy.Limits, duplicate_window: 2 * 60 * 1_000_000_000 })
  }
  return jsm
}
