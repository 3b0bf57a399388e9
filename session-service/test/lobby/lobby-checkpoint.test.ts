import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, waitFor } from '@tandem/service-kit/testing'
import type { FastifyBaseLogger } from 'fastify'
import type { SessionEvent, Visibility } from '@tandem/contracts'
import { openEventStore, type EventStoreConnection } from '../../src/event-store/open-event-store.ts'
import type { AllStreamsSubscription, EventStore, RecordedEvent } from '../../src/event-store/event-store.ts'
import type { Checkpoint, CheckpointStore } from '../../src/event-store/checkpoint-store.ts'
import { LobbyProjection, type LobbyProjectionOptions } from '../../src/lobby/lobby-projection.ts'
import { LOBBY_CHECKPOINT_NAME, LOBBY_CHECKPOINT_VERSION } from '../../src/lobby/lobby-checkpoint.ts'
import { sessionEvent } from '../../src/domain/events.ts'
import { encodeSessionEvent, sessionStream } from '../../src/stream/session-stream.ts'

const silent = { warn: () => undefined, info: () => undefined } as unknown as FastifyBaseLogger

/** A store of its own per test, so that the events a lobby reads can be counted exactly. */
async function freshStore(t: Test): Promise<EventStoreConnection> {
  const db = await createTestDatabase('tandem_lobby_checkpoint')
  const store = await openEventStore(db.url, { poolSize: 4, pollIntervalMs: 20 })
  t.teardown(async () => {
    await store.close()
    await db.drop()
  })
  return store
}

/** The store, counting the events its feed delivers. */
function counting(store: EventStore): { store: EventStore; read: () => number } {
  let read = 0
  const wrapped: EventStore = Object.create(store)
  wrapped.subscribeAll = (options) => {
    const inner = store.subscribeAll(options)
    async function* counted(): AsyncGenerator<RecordedEvent> {
      for await (const e of inner) {
        read++
        yield e
      }
    }
    const iterator = counted()
    return { [Symbol.asyncIterator]: () => iterator, close: () => inner.close() } satisfies AllStreamsSubscription
  }
  return { store: wrapped, read: () => read }
}

/** Writes session events one append after the other, with the right expected revisions, and keeps their feed positions. */
class History {
  readonly #revisions = new Map<string, number>()
  readonly #positions: string[] = []
  constructor(private readonly store: EventStore) {}

  async write(id: string, ...events: SessionEvent[]): Promise<void> {
    const last = this.#revisions.get(id)
    const encoded = events.map((e, i) => encodeSessionEvent(e, `c-${i}`))
    const { nextExpectedRevision } = await this.store.append(sessionStream(id), encoded, last ?? 'no_stream')
    this.#revisions.set(id, nextExpectedRevision)
    for (const e of await this.store.read(sessionStream(id), (last ?? -1) + 1)) this.#positions.push(e.position)
  }

  get written(): number {
    return this.#positions.length
  }

  /** The feed position of the latest event. */
  head(): string {
    return this.#positions.at(-1)!
  }

  /** How many events come after `position` in the feed. */
  after(position: string): number {
    const index = this.#positions.indexOf(position)
    if (index < 0) throw new Error(`no event at ${position}`)
    return this.#positions.length - index - 1
  }
}

const HOST = randomUUID()
const created = (title: string, visibility: Visibility, host = HOST): SessionEvent =>
  sessionEvent('SessionCreated', { title, videoUrl: 'https://v.example/a', hostId: host, controlMode: 'host', visibility }, 1, host)
const joined = (userId: string, at = 2): SessionEvent => sessionEvent('ViewerJoined', { userId }, at, userId)
const left = (userId: string): SessionEvent => sessionEvent('ViewerLeft', { userId }, 3, userId)
const visibility = (v: Visibility): SessionEvent => sessionEvent('VisibilityChanged', { visibility: v }, 4, HOST)
const ended = (at = 5): SessionEvent => sessionEvent('SessionEnded', { reason: 'host' }, at, HOST)

/** Everything the routes can ask the lobby, in a comparable form. */
function dump(lobby: LobbyProjection, users: string[]) {
  const byId = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1))
  return {
    open: byId(lobby.openSessions()),
    public: byId(lobby.publicSessions()).map((s) => s.id),
    byUser: users.map((u) => byId(lobby.sessionsOf(u)).map((s) => s.id)),
    hosted: users.map((u) => lobby.openSessionsHostedBy(u)),
  }
}

function projection(store: EventStore, options: LobbyProjectionOptions, t: Test): LobbyProjection {
  const lobby = new LobbyProjection(store, silent, { checkpointEvery: 1_000_000, checkpointIntervalMs: 60_000, ...options })
  t.teardown(() => lobby.stop())
  return lobby
}

async function caughtUp(lobby: LobbyProjection, history: History): Promise<void> {
  await waitFor(() => lobby.position === history.head(), 20_000, `the lobby at ${history.head()}`)
}

t.test('a lobby resumes from the checkpoint, reads only what follows, and ends as a full rebuild does', async (t) => {
  const connection = await freshStore(t)
  const history = new History(connection.events)
  const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()]
  const users = [HOST, alice, bob, carol]
  const [a, b, c, d, e, f, g] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()]

  // Before the checkpoint: ended, made public, left and handed over, still open.
  await history.write(a, created('Ended early', 'public'), joined(alice), joined(bob), ended())
  await history.write(b, created('Made public', 'private'), joined(alice))
  await history.write(c, created('Handed over', 'public', alice), joined(bob), joined(carol))
  await history.write(b, visibility('public'))
  await history.write(c, left(carol), sessionEvent('HostChanged', { hostId: bob, reason: 'handed_over' }, 6, alice))
  await history.write(d, created('Ends later', 'public'))
  await history.write(e, created('Goes private later', 'public'), joined(carol))
  const before = history.written

  const first = projection(connection.events, { checkpoints: connection.checkpoints }, t)
  first.start()
  await caughtUp(first, history)
  await first.stop()
  const saved = await connection.checkpoints.load(LOBBY_CHECKPOINT_NAME)
  t.equal(saved?.position, history.head(), 'saved on stop, at the position it reached')
  t.same((saved?.state as { sessions: Array<{ id: string }> }).sessions.map((s) => s.id).sort(), [b, c, d, e].sort(), 'the open sessions only')

  // After it: sessions from before end, change and grow; new ones open and end.
  await history.write(d, joined(alice), ended(7))
  await history.write(e, visibility('private'), joined(alice, 8))
  await history.write(f, created('Opened and ended after', 'public'), joined(carol), ended())
  await history.write(g, created('Opened after', 'private', carol), joined(bob))
  await history.write(c, joined(alice, 9))
  await history.write(a, joined(carol)) // an event after the end, as a broken writer might append: still ended
  const after = history.written - before

  const resumed = counting(connection.events)
  const lobby = projection(resumed.store, { checkpoints: connection.checkpoints }, t)
  lobby.start()
  await caughtUp(lobby, history)
  t.equal(resumed.read(), after, `read the ${after} events after the checkpoint, not the ${history.written} in the store`)

  const full = counting(connection.events)
  const rebuilt = projection(full.store, {}, t)
  rebuilt.start()
  await caughtUp(rebuilt, history)
  t.equal(full.read(), history.written, 'without a checkpoint store: everything')
  t.same(dump(lobby, users), dump(rebuilt, users), 'the same lobby as a full rebuild')
  t.same(dump(lobby, users).public, [b, c].sort(), 'what it lists')
  t.same(dump(lobby, users).hosted, [2, 0, 1, 1], 'each host’s open sessions')
})

t.test('the checkpoint is saved while the feed runs; another replica starts from it', async (t) => {
  const connection = await freshStore(t)
  const history = new History(connection.events)
  const lobby = projection(connection.events, { checkpoints: connection.checkpoints, checkpointEvery: 3, checkpointIntervalMs: 0 }, t)
  lobby.start()
  const ids = Array.from({ length: 5 }, () => randomUUID())
  for (const id of ids) await history.write(id, created(`Session ${id}`, 'public'), joined(randomUUID()))
  await history.write(ids[0]!, ended())
  await caughtUp(lobby, history)
  const saved = await waitFor(() => connection.checkpoints.load(LOBBY_CHECKPOINT_NAME), 10_000, 'a checkpoint while running')
  t.ok(history.after(saved.position) < history.written, 'saved without stopping, somewhere in the feed')

  // A second replica, while the first runs: it reads exactly what follows the checkpoint it loaded.
  let loaded: Checkpoint | null = null
  const seen: CheckpointStore = {
    load: async (name) => (loaded = await connection.checkpoints.load(name)),
    save: (name, checkpoint) => connection.checkpoints.save(name, checkpoint),
  }
  const other = counting(connection.events)
  const second = projection(other.store, { checkpoints: seen }, t)
  second.start()
  await caughtUp(second, history)
  t.ok(loaded)
  t.equal(other.read(), history.after(loaded!.position), 'read only what follows its checkpoint')
  t.same(dump(second, [HOST]), dump(lobby, [HOST]), 'the same lobby as the first replica')
  t.same([...second.publicSessions()].map((s) => s.id).sort(), ids.slice(1).sort())
})

t.test('a checkpoint of another schema version, or not in the expected shape, is ignored', async (t) => {
  const ghost = { id: randomUUID(), revision: 0, fields: { title: 'Ghost', status: 'open', hostId: HOST, members: [HOST], visibility: 'public' }, lastEventAt: 1 }
  const cases = [
    { what: 'another version', schemaVersion: LOBBY_CHECKPOINT_VERSION + 1, state: { sessions: [ghost] } },
    { what: 'an older version', schemaVersion: LOBBY_CHECKPOINT_VERSION - 1, state: { sessions: [ghost] } },
    { what: 'another shape', schemaVersion: LOBBY_CHECKPOINT_VERSION, state: { open: [ghost] } },
  ]
  for (const { what, schemaVersion, state } of cases) {
    const connection = await freshStore(t)
    const history = new History(connection.events)
    await history.write(randomUUID(), created('Real', 'public'), joined(randomUUID()))
    await connection.checkpoints.save(LOBBY_CHECKPOINT_NAME, { position: history.head(), schemaVersion, state })
    const read = counting(connection.events)
    const lobby = projection(read.store, { checkpoints: connection.checkpoints }, t)
    lobby.start()
    await caughtUp(lobby, history)
    t.equal(read.read(), history.written, `${what}: read from the start`)
    t.same([...lobby.publicSessions()].map((s) => s.fields.title), ['Real'], `${what}: nothing taken from it`)
  }
})

/** The store with a feed that delivers nothing until closed, so a lobby holds just its checkpoint. */
function stalledFeed(store: EventStore): EventStore {
  const stalled: EventStore = Object.create(store)
  stalled.subscribeAll = () => {
    let close = () => undefined as void
    const closed = new Promise<void>((resolve) => (close = resolve))
    return {
      async *[Symbol.asyncIterator]() {
        await closed
      },
      close: async () => close(),
    }
  }
  return stalled
}

t.test('a session this replica already knows better than the checkpoint keeps what it knows', async (t) => {
  const connection = await freshStore(t)
  const history = new History(connection.events)
  const [kept, gone, seeded] = [randomUUID(), randomUUID(), randomUUID()]
  const keptEvents = [created('Live here', 'public'), joined(randomUUID())]
  const endedEvents = [created('Ended here', 'public')]
  await history.write(kept, ...keptEvents)
  await history.write(gone, ...endedEvents)
  await history.write(seeded, created('Only in the checkpoint', 'public'))
  const first = projection(connection.events, { checkpoints: connection.checkpoints }, t)
  first.start()
  await caughtUp(first, history)
  await first.stop()
  const checkpointAt = history.head()

  const later = { kept: joined(randomUUID()), ended: ended() }
  await history.write(kept, later.kept)
  await history.write(gone, later.ended)
  const lobby = projection(stalledFeed(connection.events), { checkpoints: connection.checkpoints }, t)
  // This replica's live sessions tell it their events, the later ones included, before the checkpoint is loaded.
  ;[...keptEvents, later.kept].forEach((event, revision) => lobby.observe(kept, { revision, event, commandId: null }))
  ;[...endedEvents, later.ended].forEach((event, revision) => lobby.observe(gone, { revision, event, commandId: null }))
  lobby.start()
  await waitFor(() => lobby.position === checkpointAt, 10_000, 'the checkpoint loaded')
  t.equal(lobby.openSession(kept)?.fields.members.length, 3, 'not put back to the checkpoint’s two members')
  t.equal(lobby.openSession(gone), undefined, 'an ended session is not reopened by the checkpoint')
  t.same([...lobby.publicSessions()].map((s) => s.id).sort(), [kept, seeded].sort())
  t.equal(lobby.openSessionsHostedBy(HOST), 2, 'counted once each')
})

/** A checkpoint store whose saves fail, or hang, until told otherwise. */
function unreliable(inner: CheckpointStore) {
  let mode: 'fail' | 'hang' | 'work' = 'fail'
  let release: (() => void) | undefined
  let attempts = 0
  const store: CheckpointStore = {
    load: (name) => inner.load(name),
    async save(name, checkpoint) {
      attempts++
      if (mode === 'fail') throw new Error('checkpoint store unavailable')
      if (mode === 'hang') await new Promise<void>((resolve) => (release = resolve))
      await inner.save(name, checkpoint)
    },
  }
  return {
    store,
    attempts: () => attempts,
    set: (next: typeof mode) => {
      mode = next
      release?.()
    },
  }
}

t.test('a failed save is logged and tried again; the feed never waits for a save', async (t) => {
  const connection = await freshStore(t)
  const history = new History(connection.events)
  const warnings: string[] = []
  const log = { warn: (_: unknown, message: string) => warnings.push(message), info: () => undefined } as unknown as FastifyBaseLogger
  const checkpoints = unreliable(connection.checkpoints)
  const lobby = new LobbyProjection(connection.events, log, { checkpoints: checkpoints.store, checkpointEvery: 1, checkpointIntervalMs: 0 })
  t.teardown(() => lobby.stop())
  lobby.start()

  await history.write(randomUUID(), created('One', 'public'))
  await waitFor(() => warnings.includes('saving a checkpoint failed; trying again later'), 10_000, 'a failed save')
  await history.write(randomUUID(), created('Two', 'public'), joined(randomUUID()))
  await caughtUp(lobby, history)
  t.same([...lobby.publicSessions()].map((s) => s.fields.title).sort(), ['One', 'Two'], 'the feed went on')

  // A save that does not answer holds up nothing either.
  checkpoints.set('hang')
  const attempts = checkpoints.attempts()
  await history.write(randomUUID(), created('Three', 'public'))
  await waitFor(() => checkpoints.attempts() > attempts, 10_000, 'a save in flight')
  await history.write(randomUUID(), created('Four', 'public'))
  await caughtUp(lobby, history)
  t.equal([...lobby.publicSessions()].length, 4, 'applied while the save hangs')

  checkpoints.set('work')
  await waitFor(async () => (await connection.checkpoints.load(LOBBY_CHECKPOINT_NAME))?.position === history.head(), 10_000, 'the retried save')
  checkpoints.set('fail')
  await history.write(randomUUID(), created('Five', 'public'))
  await caughtUp(lobby, history)
  await lobby.stop()
  t.pass('stopping with a failing save does not throw')
})
