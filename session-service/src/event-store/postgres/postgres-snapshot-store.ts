import type pg from 'pg'
import type { Snapshot, SnapshotStore } from '../snapshot-store.ts'

/** Snapshots in the session database: one row per stream, only ever moved forward. */
export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly pool: pg.Pool) {}

  async load(streamId: string): Promise<Snapshot | null> {
    const { rows } = await this.pool.query<{ revision: string; schema_version: number; state: unknown }>(
      'SELECT revision, schema_version, state FROM snapshots WHERE stream_id = $1',
      [streamId],
    )
    const row = rows[0]
    return row ? { revision: Number(row.revision), schemaVersion: row.schema_version, state: row.state } : null
  }

  async save(streamId: string, snapshot: Snapshot): Promise<void> {
    await this.pool.query(
      `INSERT INTO snapshots (stream_id, revision, schema_version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE
         SET revision = EXCLUDED.revision, schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, taken_at = now()
         WHERE snapshots.revision < EXCLUDED.revision OR snapshots.schema_version <> EXCLUDED.schema_version`,
      [streamId, snapshot.revision, snapshot.schemaVersion, JSON.stringify(snapshot.state)],
    )
  }
}
