import type { FastifyBaseLogger } from 'fastify'
import type { DrainTiming } from '../config.ts'

/** A socket the drain can let go: it answers the commands it has taken, then closes with 4503. */
export interface DrainableSocket {
  drain(): Promise<void>
}

export interface ReplicaDrainOptions {
  timing: DrainTiming
  /** The sockets open when the closing starts (new ones are refused from the start of the drain). */
  sockets(): Iterable<DrainableSocket>
  /** After the last close is due, how long commands in flight may take before the drain ends anyway. */
  ackPatienceMs: number
  log: FastifyBaseLogger
  /** In [0, 1); picks each socket's moment within the spread. */
  random?: () => number
}

/**
 * The hand-over of a replica's sockets before it exits (a rolling restart, a scale-in). From
 * `run()` on the replica is `draining`: readiness answers 503 and new work is refused, so the
 * balancer takes it out of the pool. After `delayMs` (longer than the balancer needs to notice)
 * each socket closes with 4503 at its own random moment within `spreadMs`, after its commands
 * in flight are acknowledged, so clients reconnect through the balancer to the other replicas
 * a few at a time rather than all at once.
 */
export class ReplicaDrain {
  #running: Promise<void> | undefined
  #stopped = false
  /** Pauses not over yet, ended at once by `stop()`. */
  readonly #pauses = new Set<() => void>()

  constructor(private readonly options: ReplicaDrainOptions) {}

  get draining(): boolean {
    return this.#running !== undefined
  }

  /** Starts the drain (once; later calls return the same promise); resolves when every socket has been let go. */
  run(): Promise<void> {
    this.#running ??= this.#run()
    return this.#running
  }

  /** Cancels the closes not yet due (the app is closing anyway and says goodbye to every socket). */
  stop(): void {
    this.#stopped = true
    for (const end of this.#pauses) end()
  }

  async #run(): Promise<void> {
    const { timing, log, ackPatienceMs } = this.options
    const random = this.options.random ?? Math.random
    log.info({ delayMs: timing.delayMs, spreadMs: timing.spreadMs }, 'draining: refusing new work, closing sockets after the delay')
    await this.#pause(timing.delayMs)
    if (this.#stopped) return
    const sockets = [...this.options.sockets()]
    log.info({ sockets: sockets.length }, 'draining: closing sockets with 4503')
    const closes = sockets.map(async (socket) => {
      await this.#pause(random() * timing.spreadMs)
      if (!this.#stopped) await socket.drain()
    })
    await Promise.race([Promise.allSettled(closes), this.#pause(timing.spreadMs + ackPatienceMs)])
    log.info('draining: every socket was let go')
  }

  /** Resolves after `ms`, or at once when the drain is stopped. */
  #pause(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer)
        this.#pauses.delete(end)
        resolve()
      }
      const timer = setTimeout(end, ms)
      this.#pauses.add(end)
    })
  }
}
