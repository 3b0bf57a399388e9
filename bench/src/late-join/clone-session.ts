import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { sessionStream } from '../../../session-service/src/stream/session-stream.ts'

/**
 * Copies a seeded session under a new id, in PostgreSQL itself: the same events (new event ids)
 * and the same latest snapshot. Seeding 100,000 events through the adapter takes seconds; a
 * copy takes a fraction of that, and a replica loads a copy exactly as it loads the original.
 */
export async function cloneSession(pool: pg.Pool, sessionId: string): Promise<string> {
  const id = randomUUID()
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
       SELECT $2, stream_revision, gen_random_uuid(), type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_revision`,
      [sessionStream(sessionId), sessionStream(id)],
    )
    await client.query(
      `INSERT INTO snapshots (stream_id, revision, schema_version, state)
       SELECT $2, revision, schema_version, state FROM snapshots WHERE stream_id = $1`,
      [sessionStream(sessionId), sessionStream(id)],
    )
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
  return id
}
