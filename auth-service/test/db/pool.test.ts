import t from 'tap'
import pg from 'pg'
import { adminDatabaseUrl, createTestDatabase } from '@tandem/service-kit/testing'
import { createPool } from '../../src/db/pool.ts'

t.test('a checked-out client whose connection dies between queries does not crash the process', async (t) => {
  // As when PostgreSQL restarts while a transaction is open or the outbox relay awaits JetStream.
  const db = await createTestDatabase('tandem_auth_pool')
  t.teardown(() => db.drop())
  const pool = createPool(db.url)
  t.teardown(() => pool.end())
  const client = await pool.connect()
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  const admin = new pg.Client({ connectionString: adminDatabaseUrl })
  await admin.connect()
  await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid])
  await admin.end()
  await new Promise((r) => setTimeout(r, 200))

  await t.rejects(client.query('SELECT 1'), 'the held client fails its next query')
  client.release()
  const again = await pool.query<{ one: number }>('SELECT 1 AS one')
  t.equal(again.rows[0]!.one, 1, 'the pool serves a new connection')
})
