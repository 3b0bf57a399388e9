import t from 'tap'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { createPool } from '../../src/db/pool.ts'
import { migrate } from '../../src/db/migrate.ts'

t.test('replicas starting together migrate once; a later start is a no-op', async (t) => {
  const database = await createTestDatabase('tandem_auth_test')
  t.teardown(() => database.drop())
  const pools = [createPool(database.url), createPool(database.url), createPool(database.url)]
  t.teardown(() => Promise.all(pools.map((p) => p.end())))
  const versions = await Promise.all(pools.map((p) => migrate(p)))
  t.same(versions, [6, 6, 6])
  t.equal(await migrate(pools[0]!), 6)
  const { rows } = await pools[0]!.query('SELECT version::int AS version FROM schema_version WHERE version > 0 ORDER BY version')
  t.same(rows.map((r: { version: number }) => r.version), [1, 2, 3, 4, 5, 6], 'each migration recorded once')
  const tables = await pools[0]!.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  )
  t.same(tables.rows.map((r: { table_name: string }) => r.table_name), [
    'known_sign_in_addresses',
    'login_failure_streaks',
    'outbox',
    'rate_limit_counters',
    'refresh_token_families',
    'refresh_tokens',
    'schema_version',
    'users',
  ])
})
