import type pg from 'pg'
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.ts'
import { parsePosition } from './all-streams-subscription.ts'

/**
 * Checkpoints in the session database: one row per projection, only ever moved forward in the
 * feed. The upsert's condition is evaluated against the row as it is once any concurrent save
 * has committed, so of two replicas saving at once the later position stays.
 */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly pool: pg.Pool) {}

  async load(name: string): Promise<Checkpoint | null> {
    const { rows } = await this.pool.query<{ transaction_id: string; global_position: string; schema_version: number; state: unknown }>(
      'SELECT transaction_id::text AS transaction_id, global_position, schema_version, state FROM checkpoints WHERE name = $1',
      [name],
    )
    const row = rows[0]
    return row ? { position: `${row.transaction_id}:${row.global_position}`, schemaVersion: row.schema_version, state: row.state } : null
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    const { transactionId, globalPosition } = parsePosition(checkpoint.position)
    await this.pool.query(
      `INSERT INTO checkpoints (name, transaction_id, global_position, schema_version, state) VALUES ($1, $2::xid8, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position,
             schema_version = EXCLUDED.schema_version, state = EXCLUDED.state, saved_at = now()
         WHERE (checkpoints.transaction_id, checkpoints.global_position) < (EXCLUDED.transaction_id, EXCLUDED.global_position)
            OR checkpoints.schema_version <> EXCLUDED.schema_version`,
      [name, transactionId, globalPosition, checkpoint.schemaVersion, JSON.stringify(checkpoint.state)],
    )
  }
}
