import type { RejectCode } from '@tandem/contracts'
import { WrongExpectedRevisionError } from '../event-store/event-store.ts'
import type { CommandEnvelope } from '../session/commands.ts'
import { decide } from '../session/decide.ts'
import { evolve, type SessionState } from '../session/state.ts'
import type { SessionRepository } from '../sessions/session-repository.ts'
import type { StoredSessionEvent } from '../sessions/session-stream.ts'

export type CommandOutcome =
  | { kind: 'ack'; revision: number; events: StoredSessionEvent[] }
  | { kind: 'reject'; code: RejectCode; message: string }

/** Called for every event applied, in strict revision order, with the `event` frame ready to send. */
export type SessionEventListener = (stored: StoredSessionEvent, frame: string) => void

export interface LiveSessionOptions {
  repository: SessionRepository
  /** Tells other replicas about events this one appended (core NATS). */
  publish(sessionId: string, events: StoredSessionEvent[]): void
  onError(err: unknown, what: string): void
  /** Attempts of one command when other writers keep moving the stream. */
  maxAttempts?: number
  /** Commands waiting in line before new ones are turned away. */
  maxQueuedCommands?: number
}

const READ_PAGE = 500

/**
 * One session as this replica knows it: the state at the latest revision it has applied, the
 * listeners (local sockets) that receive each event, and the single line in which this replica
 * decides and appends commands for it.
 *
 * Events arrive from this replica's own appends, from other replicas over NATS and from the
 * store. They are applied strictly by revision: duplicates are dropped, and an event that leaves
 * a gap is held while the missing ones are read from the store.
 */
export class LiveSession {
  #state: SessionState
  readonly #pending = new Map<number, StoredSessionEvent>()
  #filling: Promise<void> | null = null
  readonly #listeners = new Set<SessionEventListener>()
  #commandLine: Promise<unknown> = Promise.resolve()
  #queued = 0
  readonly #maxAttempts: number
  readonly #maxQueued: number

  constructor(
    readonly id: string,
    state: SessionState,
    private readonly options: LiveSessionOptions,
  ) {
    this.#state = state
    this.#maxAttempts = options.maxAttempts ?? 10
    this.#maxQueued = options.maxQueuedCommands ?? 1000
  }

  get state(): SessionState {
    return this.#state
  }

  get revision(): number {
    return this.#state.revision
  }

  get listenerCount(): number {
    return this.#listeners.size
  }

  /** Listens to every event applied from now on; returns the function that stops it. */
  onEvent(listener: SessionEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Takes events from anywhere; applies those that are next, holds the rest and fills gaps. */
  offer(events: Iterable<StoredSessionEvent>): void {
    for (const e of events) {
      if (e.revision > this.revision && !this.#pending.has(e.revision)) this.#pending.set(e.revision, e)
    }
    this.#drain()
  }

  /** Reads and applies whatever the store has after the current revision. */
  async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.options.repository.readAfter(this.id, this.revision, READ_PAGE)
      this.offer(page)
      if (page.length < READ_PAGE) return
    }
  }

  /** Resolves once every command accepted so far has finished. */
  async settled(): Promise<void> {
    await this.#commandLine
  }

  /** Decides and appends one command, in line behind the others of this replica. */
  execute(envelope: CommandEnvelope): Promise<CommandOutcome> {
    if (this.#queued >= this.#maxQueued) {
      return Promise.resolve({ kind: 'reject', code: 'unavailable', message: 'too many commands waiting; retry' })
    }
    this.#queued++
    const run = this.#commandLine.then(() => this.#execute(envelope))
    this.#commandLine = run.catch(() => undefined).finally(() => this.#queued--)
    return run
  }

  async #execute(envelope: CommandEnvelope): Promise<CommandOutcome> {
    let confirmedAgainstStore = false
    for (let attempt = 1; ; attempt++) {
      if (this.#filling) await this.#filling
      const state = this.#state
      const decision = decide(envelope, state)
      if (decision.kind === 'rejected') {
        // This replica may not have heard of an event yet (a join through another replica):
        // refuse only what the store's latest state refuses too.
        if (!confirmedAgainstStore) {
          confirmedAgainstStore = true
          await this.catchUp()
          if (this.revision !== state.revision) continue
        }
        return { kind: 'reject', code: decision.code, message: decision.message }
      }
      if (decision.kind === 'duplicate') return { kind: 'ack', revision: decision.revision, events: [] }
      if (decision.events.length === 0) return { kind: 'ack', revision: state.revision, events: [] }
      try {
        const stored = await this.options.repository.append(this.id, state, decision.events, envelope.id)
        this.offer(stored)
        this.options.publish(this.id, stored)
        this.options.repository.snapshotIfDue(this.id, state.revision, this.#state)
        return { kind: 'ack', revision: stored[stored.length - 1]!.revision, events: stored }
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err
        if (attempt >= this.#maxAttempts) {
          return { kind: 'reject', code: 'conflict', message: 'the session kept changing; retry the command' }
        }
        await this.catchUp()
      }
    }
  }

  #drain(): void {
    for (let next = this.#pending.get(this.revision + 1); next; next = this.#pending.get(this.revision + 1)) {
      this.#pending.delete(next.revision)
      this.#apply(next)
    }
    if (this.#pending.size > 0 && !this.#filling) {
      this.#filling = this.#fillGap().finally(() => {
        this.#filling = null
      })
    }
  }

  async #fillGap(): Promise<void> {
    for (;;) {
      const before = this.revision
      try {
        await this.catchUp()
      } catch (err) {
        this.options.onError(err, 'filling a gap from the store')
        this.#pending.clear()
        return
      }
      if (this.#pending.size === 0) return
      // Held events the store cannot confirm are dropped rather than retried in a loop; the
      // next event or the periodic resync picks them up from the store.
      if (this.revision === before) {
        this.#pending.clear()
        return
      }
    }
  }

  #apply(stored: StoredSessionEvent): void {
    this.#state = evolve(this.#state, stored.event, stored.commandId ?? undefined)
    const frame = JSON.stringify({ type: 'event', revision: stored.revision, event: stored.event })
    for (const listener of this.#listeners) {
      try {
        listener(stored, frame)
      } catch (err) {
        this.options.onError(err, 'delivering an event')
      }
    }
  }
}
