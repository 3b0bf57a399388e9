import t from 'tap'
import pg from 'pg'
import { randomUUID } from 'node:crypto'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { collect, eventStoreContract } from '../fixtures/event-store-contract.ts'

const db = await createTestDatabase('tandem_session_store')
t.teardown(() => db.drop())

t.test('PostgreSQL adapter contract', async (t) => {
  eventStoreContract(t, {
    async connect() {
      const connection = await openEventStore(db.url, { poolSize: 4, pollIntervalMs: 50 })
      return { store: connection.events, snapshots: connection.snapshots, close: () => connection.close() }
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
