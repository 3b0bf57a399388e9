import { encodeEventFrame, type RejectCode } from '@tandem/contracts'
import { WrongExpectedRevisionError } from '../event-store/event-store.ts'
import type { CommandEnvelope } from '../domain/commands.ts'
import type { SessionEvent } from '../domain/events.ts'
import { sessionDecider } from '../domain/decider.ts'
import type { SessionState } from '../domain/state.ts'
import type { SessionRepository } from '../stream/session-repository.ts'
import type { StoredSessionEvent } from '../stream/session-stream.ts'
import { AppliedCommands, RECENT_EVENTS_ON_LOAD } from './applied-commands.ts'

export type CommandOutcome =
  | { kind: 'ack'; revision: number; events: StoredSessionEvent[] }
  | { kind: 'reject'; code: RejectCode; message: string }

/**
 * Called for every event applied, in strict revision order, with the `event` frame ready to
 * send: encoded once as UTF-8, however many sockets it goes to.
 */
export type SessionEventListener = (stored: StoredSessionEvent, frame: Buffer) => void

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
/** Most commands decided and appended together. */
const MAX_BATCH = 50

interface QueuedCommand {
  envelope: CommandEnvelope
  resolve(outcome: CommandOutcome): void
  reject(err: unknown): void
}

interface BatchPlan {
  /** One per command; acks name the revision the command reaches once the events are appended. */
  outcomes: CommandOutcome[]
  events: Array<{ event: SessionEvent; commandId: string }>
  anyRejected: boolean
}

/**
 * Decides commands one after the other, each on the state the previous ones lead to. A command
 * applied before (or earlier in the batch) is acknowledged again at its revision, undecided.
 */
function planBatch(batch: CommandEnvelope[], base: SessionState, applied: AppliedCommands): BatchPlan {
  let working = base
  const planned = new AppliedCommands()
  const plan: BatchPlan = { outcomes: [], events: [], anyRejected: false }
  for (const envelope of batch) {
    const earlier = applied.revisionOf(envelope.userId, envelope.id) ?? planned.revisionOf(envelope.userId, envelope.id)
    if (earlier !== undefined) {
      plan.outcomes.push({ kind: 'ack', revision: earlier, events: [] })
      continue
    }
    const decision = sessionDecider.decide(envelope, working)
    if (decision.kind === 'rejected') {
      plan.anyRejected = true
      plan.outcomes.push({ kind: 'reject', code: decision.code, message: decision.message })
      continue
    }
    const stored: StoredSessionEvent[] = []
    for (const event of decision.events) {
      working = sessionDecider.evolve(working, event)
      const next = { revision: working.revision, event, commandId: envelope.id }
      planned.record(next)
      stored.push(next)
      plan.events.push({ event, commandId: envelope.id })
    }
    plan.outcomes.push({ kind: 'ack', revision: working.revision, events: stored })
  }
  return plan
}

/**
 * One session as this replica knows it: the state at the latest revision it has applied, the
 * commands that state came from (so a retry is acknowledged, not applied twice), the listeners
 * (local sockets) that receive each event, and the single line in which this replica decides and
 * appends commands for it.
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
  readonly #appliedCommands = new AppliedCommands()
  readonly #queue: QueuedCommand[] = []
  #worker: Promise<void> = Promise.resolve()
  #working = false
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

  /**
   * The session as the store has it (snapshot plus tail), remembering the commands of its latest
   * events so that a retry after a restart, or through another replica, is recognised.
   */
  static async load(id: string, options: LiveSessionOptions): Promise<LiveSession> {
    const { state } = await options.repository.load(id)
    const live = new LiveSession(id, state, options)
    const recent = await options.repository.history(id, state.revision + 1, RECENT_EVENTS_ON_LOAD)
    for (const stored of recent.events.reverse()) live.#appliedCommands.record(stored)
    return live
  }

  get state(): SessionState {
    return this.#state
  }

  get revision(): number {
    return this.#state.revision
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

  /** Resolves once every command taken so far has been answered. */
  async settled(): Promise<void> {
    await this.#worker
  }

  /**
   * Decides and appends a command, in line behind the others of this replica. Commands that
   * queue up while an append is in flight are decided together and appended at once, so a
   * replica under load (or losing races to another replica) catches up in one round trip.
   */
  execute(envelope: CommandEnvelope): Promise<CommandOutcome> {
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.resolve({ kind: 'reject', code: 'unavailable', message: 'too many commands waiting; retry' })
    }
    return new Promise<CommandOutcome>((resolve, reject) => {
      this.#queue.push({ envelope, resolve, reject })
      if (!this.#working) this.#worker = this.#work()
    })
  }

  async #work(): Promise<void> {
    this.#working = true
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH)
        try {
          const outcomes = await this.#runBatch(batch.map((q) => q.envelope))
          batch.forEach((q, i) => q.resolve(outcomes[i]!))
        } catch (err) {
          for (const q of batch) q.reject(err)
        }
      }
    } finally {
      // Cleared in the same step as the last look at the queue, so a command queued after it
      // always starts a new worker.
      this.#working = false
    }
  }

  async #runBatch(batch: CommandEnvelope[]): Promise<CommandOutcome[]> {
    let checkedStore = false
    for (let attempt = 1; ; attempt++) {
      if (this.#filling) await this.#filling
      const base = this.#state
      const plan = planBatch(batch, base, this.#appliedCommands)
      // This replica may not have heard of an event yet (a join through another replica):
      // refuse only what the store's latest state refuses too.
      if (plan.anyRejected && !checkedStore) {
        checkedStore = true
        await this.catchUp()
        if (this.revision !== base.revision) continue
      }
      if (plan.events.length === 0) return plan.outcomes
      try {
        const stored = await this.options.repository.append(this.id, base, plan.events)
        // The other replicas fan out while this one does: the NATS client writes what was
        // published on its next microtask, which runs before this function goes on.
        this.options.publish(this.id, stored)
        await Promise.resolve()
        this.offer(stored)
        this.options.repository.snapshotIfDue(this.id, base.revision, this.#state)
        return plan.outcomes
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err
        if (attempt >= this.#maxAttempts) {
          return batch.map(() => ({ kind: 'reject', code: 'conflict', message: 'the session kept changing; retry the command' }))
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
    this.#state = sessionDecider.evolve(this.#state, stored.event)
    this.#appliedCommands.record(stored)
    const frame = Buffer.from(encodeEventFrame(stored.revision, stored.event))
    for (const listener of this.#listeners) {
      try {
        listener(stored, frame)
      } catch (err) {
        this.options.onError(err, 'delivering an event')
      }
    }
  }
}
