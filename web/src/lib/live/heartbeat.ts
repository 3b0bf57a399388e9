import type { PingMessage } from '@tandem/contracts'
import type { Pong } from '../sync/engine.ts'
import type { Timers } from './timers.ts'

/** The clock estimator the pings feed (the sync engine). */
export interface ClockSync {
  ping(): { t0: number }
  onPong(pong: Pong): unknown
  nextPingDelay(): number
  onReconnect(): void
}

export interface HeartbeatOptions {
  clock: ClockSync
  timers: Timers
  /** a socket that answers nothing for this long after a ping is given up (ms) */
  silenceTimeoutMs: number
  send(ping: PingMessage): void
  /** nothing came back for `silenceTimeoutMs` after a ping */
  silent(): void
}

/**
 * The pings of an open socket, on the clock estimator's schedule, and the watch for a socket
 * that has gone silent: any frame from the server counts as an answer.
 */
export class Heartbeat {
  readonly #o: HeartbeatOptions
  #running = false
  #pingTimer: unknown
  #silenceTimer: unknown

  constructor(options: HeartbeatOptions) {
    this.#o = options
  }

  /** The socket is open: the first ping goes out now. */
  start(): void {
    this.#running = true
    this.#ping()
  }

  /** A frame arrived from the server. */
  heard(): void {
    if (this.#silenceTimer === undefined) return
    this.#o.timers.clearTimeout(this.#silenceTimer)
    this.#silenceTimer = undefined
  }

  stop(): void {
    this.#running = false
    for (const timer of [this.#pingTimer, this.#silenceTimer]) if (timer !== undefined) this.#o.timers.clearTimeout(timer)
    this.#pingTimer = undefined
    this.#silenceTimer = undefined
  }

  #ping(): void {
    this.#pingTimer = undefined
    if (!this.#running) return
    this.#o.send({ type: 'ping', ...this.#o.clock.ping() })
    if (this.#silenceTimer === undefined) {
      this.#silenceTimer = this.#o.timers.setTimeout(() => {
        this.#silenceTimer = undefined
        this.#o.silent()
      }, this.#o.silenceTimeoutMs)
    }
    this.#pingTimer = this.#o.timers.setTimeout(() => this.#ping(), this.#o.clock.nextPingDelay())
  }
}
