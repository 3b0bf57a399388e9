import t from 'tap'
import pg from 'pg'
import { createTestDatabase, adminDatabaseUrl } from '../../src/testing/index.ts'

t.test('creates a usable database and drops it even with a connection open', async (t) => {
  const db = await createTestDatabase('kit_test')
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  client.on('error', () => {})
  const { rows } = await client.query('SELECT current_database() AS name')
  t.equal(rows[0].name, db.name)
  await db.drop()
  const admin = new pg.Client({ connectionString: adminDatabaseUrl })
  await admin.connect()
  const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])
  await admin.end()
  t.equal(left.rowCount, 0, 'database is gone')
})
