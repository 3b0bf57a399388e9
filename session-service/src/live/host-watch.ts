import { randomUUID } from 'node:crypto'
import { SYSTEM_ACTOR } from '@tandem/contracts'
import { successorAmong } from '../domain/decide.ts'
import type { LiveSession } from './live-session.ts'
import type { PresenceBoard } from './presence-board.ts'

export interface HostWatchOptions {
  live: LiveSession
  presence: PresenceBoard
  /** How long the host may have no socket open on any replica before control passes on. */
  hostGoneMs: number
  /** Whether this replica has sockets in the session: a replica without has nobody to hand to. */
  hasSockets(): boolean
  now(): number
  onError(err: unknown): void
}

/**
 * Hands control over when the host of an open session has had no socket open on any replica for
 * `hostGoneMs`: sends `hostGone{hostId, present}` as the system, `present` longest present first.
 *
 * The absence is counted from when this replica last saw the host present, or, for a host it has
 * never seen, from when it began to watch them (the room loaded, or the host changed). A timer is
 * armed for the next moment that matters (the deadline, or the expiry of another replica's
 * announcement that still lists the host) and re-armed by `check()` on every change of presence
 * or of the host. Every replica with sockets in the session does this; when several send
 * `hostGone` for the same host, the stream's optimistic concurrency makes one append and the
 * others re-decide on the new host and append nothing.
 */
export class HostWatch {
  #hostId: string | null
  /** Since when the watched host has been absent; null while they are present. */
  #absentSince: number | null
  #timer: NodeJS.Timeout | undefined
  #sending = false
  #stopped = false

  constructor(private readonly options: HostWatchOptions) {
    const state = options.live.state
    this.#hostId = state.status === 'open' ? state.hostId : null
    this.#absentSince = options.now()
  }

  /** Looks again at the host's presence (after a change of presence or of the session). */
  check(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#stopped || this.#sending) return
    const { live, presence, hostGoneMs } = this.options
    const state = live.state
    if (state.status !== 'open') return
    const now = this.options.now()
    if (state.hostId !== this.#hostId) {
      this.#hostId = state.hostId
      this.#absentSince = now
    }
    const presentUntil = presence.presentUntil(state.hostId, now)
    if (presentUntil !== null) {
      this.#absentSince = null
      // Present only through another replica's announcement: look again when it would expire.
      if (presentUntil !== Infinity) this.#arm(presentUntil - now + 1)
      return
    }
    this.#absentSince ??= now
    if (!this.options.hasSockets()) return
    const present = presence.present(now)
    // Nobody to hand to yet: a member connecting or joining brings the next check.
    if (successorAmong(state, present) === null) return
    const deadline = this.#absentSince + hostGoneMs
    if (now < deadline) return this.#arm(deadline - now)
    void this.#handOver(state.hostId, present)
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.check(), delayMs)
    this.#timer.unref()
  }

  async #handOver(hostId: string, present: string[]): Promise<void> {
    this.#sending = true
    try {
      const { live, now } = this.options
      // A reject (the session ended meanwhile, or kept changing) leaves the next check to decide.
      await live.execute({ id: randomUUID(), userId: SYSTEM_ACTOR, at: now(), command: { type: 'hostGone', hostId, present } })
    } catch (err) {
      this.options.onError(err)
    } finally {
      this.#sending = false
    }
    // The host may still be the same (the command failed, or the decider found nobody): count
    // their absence afresh rather than retry at once.
    if (this.#absentSince !== null) this.#absentSince = this.options.now()
    this.check()
  }
}
