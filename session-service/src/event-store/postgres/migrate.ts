import { fileURLToPath } from 'node:url'
import Postgrator from 'postgrator'
import type pg from 'pg'

const migrationPattern = fileURLToPath(new URL('../../../migrations/*.sql', import.meta.url))
// Any constant shared by every replica: two replicas starting together migrate one after the other.
const MIGRATION_LOCK_KEY = 4_003_001

/** Brings the session database to the latest schema (migrations/NNN.do.<name>.sql). */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    const postgrator = new Postgrator({
      migrationPattern,
      driver: 'pg',
      schemaTable: 'schemaversion',
      execQuery: (query) => client.query(query),
    })
    await postgrator.migrate()
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    client.release()
  }
}
