import t from 'tap'
import pg from 'pg'
import { randomUUID } from 'node:crypto'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { WrongExpectedRevisionError } from '../../src/event-store/event-store.ts'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { collect, eventStoreContract } from '../fixtures/event-store-contract.ts'

const db = await createTestDatabase('tandem_session_store')
t.teardown(() => db.drop())

t.test('PostgreSQL adapter contract', async (t) => {
  eventStoreContract(t, {
    async connect() {
      const connection = await openEventStore(db.url, { poolSize: 4, pollIntervalMs: 50 })
      return { store: connection.events, snapshots: connection.snapshots, checkpoints: connection.checkpoints, close: () => connection.close() }
    },
  })
})

t.test('a transaction that commits late is delivered, not skipped', async (t) => {
  const connection = await openEventStore(db.url, { poolSize: 2, pollIntervalMs: 20 })
  t.teardown(() => connection.close())
  const store = connection.events
  const prefix = `late-${randomUUID().slice(0, 8)}-`

  const slow = new pg.Client({ connectionString: db.url })
  await slow.connect()
  t.teardown(() => slow.end())
  // The slow writer draws its global_position first, then stays uncommitted.
  await slow.query('BEGIN')
  const { rows } = await slow.query<{ global_position: string }>(
    `INSERT INTO events (stream_id, stream_revision, event_id, type, data) VALUES ($1, 0, $2, 'Slow', '{}') RETURNING global_position`,
    [`${prefix}slow`, randomUUID()],
  )
  const slowPosition = Number(rows[0]!.global_position)

  await store.append(`${prefix}fast`, [{ type: 'Fast', data: { n: 1 } }, { type: 'Fast', data: { n: 2 } }], 'no_stream')
  const fast = await store.read(`${prefix}fast`, 'start')
  t.ok(fast.every((e) => Number(e.position.split(':')[1]) > slowPosition), 'the fast events have higher sequence numbers')

  const subscription = store.subscribeAll({ from: 'start', prefix })
  const seen = collect(subscription, 3)
  // While the slow transaction is open, nothing after it may be delivered.
  await new Promise((r) => setTimeout(r, 300))
  await slow.query('COMMIT')
  const delivered = await seen
  t.same(delivered.map((e) => e.type), ['Slow', 'Fast', 'Fast'], 'the late commit comes first, nothing is skipped')
})

t.test('the feed follows transaction ids by number, not as text', async (t) => {
  const connection = await openEventStore(db.url, { poolSize: 2, pollIntervalMs: 20 })
  t.teardown(() => connection.close())
  const prefix = `xid-${randomUUID().slice(0, 8)}-`
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  t.teardown(() => client.end())
  // Transactions 9 and 10 (long finished): as text, '10' sorts before '9'.
  for (const [xid, name] of [['9', 'nine'], ['10', 'ten']] as const) {
    await client.query(`INSERT INTO events (transaction_id, stream_id, stream_revision, event_id, type, data) VALUES ($1::xid8, $2, 0, $3, 'X', '{}')`, [xid, `${prefix}${name}`, randomUUID()])
  }
  const delivered = await collect(connection.events.subscribeAll({ from: 'start', prefix }), 3, 2000)
  t.same(delivered.map((e) => e.streamId), [`${prefix}nine`, `${prefix}ten`], 'each once, 9 before 10')
})

t.test('migrations run once even when replicas start together', async (t) => {
  const connections = await Promise.all([openEventStore(db.url), openEventStore(db.url), openEventStore(db.url)])
  t.teardown(() => Promise.all(connections.map((c) => c.close())))
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  t.teardown(() => client.end())
  const { rows } = await client.query<{ version: string }>('SELECT version FROM schemaversion ORDER BY version')
  t.ok(rows.length >= 1)
  t.equal(new Set(rows.map((r) => r.version)).size, rows.length, 'each migration recorded once')
})

t.test('appends that share a transaction: each is written or refused on its own', async (t) => {
  // One append transaction at a time: the first append goes alone, the ones made meanwhile share the next.
  const connection = await openEventStore(db.url, { poolSize: 4, appendConcurrency: 1, appendBatchSize: 32 })
  t.teardown(() => connection.close())
  const store = connection.events
  const prefix = `batch-${randomUUID().slice(0, 8)}-`
  const streams = Array.from({ length: 6 }, (_, i) => `${prefix}${i}`)
  await store.append(streams[0]!, [{ type: 'First', data: {} }], 'no_stream')
  const summarize = (outcomes: Array<PromiseSettledResult<{ nextExpectedRevision: number }>>) =>
    outcomes.map((o) => (o.status === 'fulfilled' ? o.value.nextExpectedRevision : o.reason instanceof WrongExpectedRevisionError ? 'conflict' : 'error'))

  const batch = await Promise.allSettled([
    store.append(streams[5]!, [{ type: 'Alone', data: {} }], 'no_stream'),
    store.append(streams[1]!, [{ type: 'A', data: { n: 1 } }], 'no_stream'),
    // Stream 0 is at revision 0: expecting an empty stream, or revision 5, is a conflict.
    store.append(streams[0]!, [{ type: 'Stale', data: {} }], 'no_stream'),
    store.append(streams[0]!, [{ type: 'Ahead', data: {} }], 5),
    store.append(streams[0]!, [{ type: 'B', data: { n: 1 } }, { type: 'B', data: { n: 2 } }], 0),
    // Two appends at the same revision of one stream in one batch: the first wins.
    store.append(streams[2]!, [{ type: 'C', data: { n: 1 } }], 'no_stream'),
    store.append(streams[2]!, [{ type: 'C', data: { n: 2 } }], 'no_stream'),
    store.append(streams[4]!, [{ type: 'D', data: { n: 1 } }, { type: 'D', data: { n: 2 } }, { type: 'D', data: { n: 3 } }], 'no_stream'),
  ])
  t.same(summarize(batch), [0, 0, 'conflict', 'conflict', 2, 0, 'conflict', 2])
  t.same((await store.read(streams[0]!, 'start')).map((e) => e.type), ['First', 'B', 'B'], 'refused appends wrote nothing')
  t.same((await store.read(streams[2]!, 'start')).map((e) => e.data.n), [1])
  t.same((await store.read(streams[4]!, 'start')).map((e) => e.revision), [0, 1, 2])
  const transactionOf = async (stream: string) => new Set((await store.read(stream, 'start')).map((e) => e.position.split(':')[0]))
  const shared = new Set([...(await transactionOf(streams[1]!)), ...(await transactionOf(streams[2]!)), ...(await transactionOf(streams[4]!))])
  t.equal(shared.size, 1, 'the appends made meanwhile were committed in one transaction')
  t.notOk(shared.has([...(await transactionOf(streams[5]!))][0]!), 'the first went alone')

  // jsonb refuses NUL: that append fails, the others of its batch are written all the same.
  const withBad = await Promise.allSettled([
    store.append(streams[5]!, [{ type: 'Alone', data: {} }], 0),
    store.append(streams[3]!, [{ type: 'Bad', data: { text: 'nul \u0000' } }], 'no_stream'),
    store.append(streams[1]!, [{ type: 'A', data: { n: 2 } }], 0),
  ])
  t.same(summarize(withBad), [1, 'error', 1])
  t.same(await store.read(streams[3]!, 'start'), [], 'the refused append wrote nothing')
  t.same((await store.read(streams[1]!, 'start')).map((e) => e.data.n), [1, 2])
})
