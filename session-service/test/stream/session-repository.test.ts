import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { SNAPSHOT_SCHEMA_VERSION, SessionRepository } from '../../src/stream/session-repository.ts'
import type { ExistingSessionState } from '../../src/domain/state.ts'
import { sessionStream } from '../../src/stream/session-stream.ts'
import { seedSession } from '../fixtures/seed-session.ts'

const db = await createTestDatabase('tandem_session_repo')
t.teardown(() => db.drop())
const store = await openEventStore(db.url, { poolSize: 4 })
t.teardown(() => store.close())
const HOST = randomUUID()
const members = [randomUUID(), randomUUID()]

t.test('loading reads the snapshot plus a bounded number of events, whatever the history length', async (t) => {
  const repository = new SessionRepository(store.events, store.snapshots, { snapshotEvery: 100 })
  for (const length of [150, 3_000]) {
    const seeded = await seedSession(store, { events: length, hostId: HOST, memberIds: members })
    const loaded = await repository.load(seeded.id)
    t.same(loaded.state, seeded.state, `${length} events: the same state as folding every event`)
    t.ok(loaded.eventsRead < 100, `${length} events: read ${loaded.eventsRead} events after the snapshot`)
  }
})

t.test('without a usable snapshot the stream is replayed, and a snapshot is taken', async (t) => {
  const repository = new SessionRepository(store.events, store.snapshots, { snapshotEvery: 100 })
  const seeded = await seedSession(store, { events: 450, hostId: HOST, memberIds: members, snapshotEvery: 1_000_000 })
  const first = await repository.load(seeded.id)
  t.equal(first.eventsRead, 450)
  t.same(first.state, seeded.state)
  await repository.settle()
  const second = await repository.load(seeded.id)
  t.equal(second.eventsRead, 0, 'the snapshot written by the first load is used')

  await store.snapshots.save(sessionStream(seeded.id), { revision: 10_000, schemaVersion: 999, state: { garbage: true } })
  const third = await repository.load(seeded.id)
  t.same(third.state, seeded.state, 'a snapshot of another schema version is ignored')
})

t.test('history pages backwards to the first event', async (t) => {
  const repository = new SessionRepository(store.events, store.snapshots)
  const seeded = await seedSession(store, { events: 25, hostId: HOST, memberIds: members })
  const revisions: number[] = []
  let before: number | undefined
  for (;;) {
    const page = await repository.history(seeded.id, before, 10)
    revisions.push(...page.events.map((e) => e.revision))
    if (!page.hasMore) break
    before = page.events.at(-1)!.revision
  }
  t.same(revisions, Array.from({ length: 25 }, (_, i) => 24 - i))
  t.same(await repository.history(randomUUID(), undefined, 10), { events: [], hasMore: false })
})

t.test('a snapshot written when the state still kept recent command ids loads as the same state', async (t) => {
  const repository = new SessionRepository(store.events, store.snapshots, { snapshotEvery: 100 })
  const seeded = await seedSession(store, { events: 120, hostId: HOST, memberIds: members, snapshotEvery: 1_000_000 })
  const { endedAt: _none, ...open } = (await repository.load(seeded.id)).state as ExistingSessionState
  // Open sessions had no `endedAt` then; the command ids are remembered from the stream now.
  const older = { ...open, recentCommands: [{ id: 'c-1', revision: 0 }] }
  await store.snapshots.save(sessionStream(seeded.id), { revision: older.revision, schemaVersion: SNAPSHOT_SCHEMA_VERSION, state: older })
  const loaded = await repository.load(seeded.id)
  t.equal(loaded.eventsRead, 0, 'the snapshot is used')
  t.strictSame(loaded.state, seeded.state, 'the old field is dropped, endedAt is null')
})
