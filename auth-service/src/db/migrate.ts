import { fileURLToPath } from 'node:url'
import type pg from 'pg'
import Postgrator from 'postgrator'

const migrationPattern = fileURLToPath(new URL('../../migrations/*.sql', import.meta.url))
/** Arbitrary constant: the advisory lock that lets one replica migrate while the others wait. */
const MIGRATION_LOCK_ID = 74_001

/** Applies the pending SQL migrations in `migrations/`; returns the schema version reached. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID])
    const postgrator = new Postgrator({
      migrationPattern,
      driver: 'pg',
      schemaTable: 'schema_version',
      execQuery: (query) => client.query(query),
    })
    const applied = await postgrator.migrate()
    return applied.at(-1)?.version ?? (await postgrator.getDatabaseVersion())
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {})
    client.release()
  }
}
