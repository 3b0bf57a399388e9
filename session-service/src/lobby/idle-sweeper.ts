import type { FastifyBaseLogger } from 'fastify'
import type { CommandOutcome } from '../live/live-session.ts'
import type { LobbyProjection } from './lobby-projection.ts'
import type { WatchingNow } from './watching-now.ts'

export interface IdleSweeperOptions {
  idleEndMs: number
  sessions: Pick<LobbyProjection, 'openSessions' | 'openSession'>
  watching: Pick<WatchingNow, 'lastSeenAt' | 'prune'>
  /** Sends the system command `endIdle` to the session through this replica's hub. */
  endIdle(sessionId: string): Promise<CommandOutcome>
  now(): number
  log: FastifyBaseLogger
}

export interface SweepResult {
  /** Sessions this replica found idle and sent `endIdle`. */
  tried: string[]
  /** Those this replica's append ended; the others were ended by another replica (or the host) first. */
  ended: string[]
}

/** The longest pause between sweeps, however long the idle time. */
const MAX_SWEEP_INTERVAL_MS = 30_000

/**
 * Ends sessions nobody has had open for `idleEndMs`. Idle is measured from the latest of: the
 * last time a viewer was seen on any replica, the session's latest event, and this replica's
 * start (a replica that has just started has not heard the others' announcements yet, so a
 * restart never ends anything early).
 *
 * Every replica sweeps every open session and may send `endIdle` for the same one at the same
 * moment: the appends race on the stream's expected revision, so exactly one `SessionEnded
 * {reason:'idle'}` is stored, and the losers re-decide on the ended session, which appends nothing.
 */
export class IdleSweeper {
  readonly #startedAt: number
  #timer: NodeJS.Timeout | undefined
  /** The sweep the timer started, so that a slow one is not stacked on and `stop` can wait for it. */
  #timed: Promise<unknown> | undefined
  #stopped = false

  constructor(private readonly options: IdleSweeperOptions) {
    this.#startedAt = options.now()
  }

  get intervalMs(): number {
    return Math.max(1, Math.min(Math.floor(this.options.idleEndMs / 4), MAX_SWEEP_INTERVAL_MS))
  }

  start(): void {
    if (this.#timer || this.#stopped) return
    this.#timer = setInterval(() => {
      this.#timed ??= this.sweep().finally(() => (this.#timed = undefined))
    }, this.intervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#timer)
    await this.#timed
  }

  /** When `sessionId` counts as idle from, given its latest event. */
  idleSince(sessionId: string, lastEventAt: number): number {
    return Math.max(this.#startedAt, lastEventAt, this.options.watching.lastSeenAt(sessionId) ?? 0)
  }

  /** Sends `endIdle` to every open session idle for `idleEndMs`, one after the other. */
  async sweep(): Promise<SweepResult> {
    const { idleEndMs, sessions, watching, now } = this.options
    watching.prune((id) => sessions.openSession(id) !== undefined)
    const isDue = (id: string) => {
      const open = sessions.openSession(id)
      return open !== undefined && now() - this.idleSince(id, open.lastEventAt) >= idleEndMs
    }
    const due = [...sessions.openSessions()].map((s) => s.id).filter(isDue)
    const result: SweepResult = { tried: [], ended: [] }
    for (const id of due) {
      if (this.#stopped) break
      // Looked at again: ending the sessions before it took time, in which someone may have come.
      if (!isDue(id)) continue
      result.tried.push(id)
      try {
        const outcome = await this.options.endIdle(id)
        if (outcome.kind === 'reject') this.options.log.warn({ sessionId: id, code: outcome.code }, 'ending an idle session was refused')
        else if (outcome.events.length > 0) result.ended.push(id)
      } catch (err) {
        if (!this.#stopped) this.options.log.warn({ err, sessionId: id }, 'ending an idle session failed')
      }
    }
    if (result.ended.length > 0) this.options.log.info({ sessions: result.ended }, 'ended idle sessions')
    return result
  }
}
