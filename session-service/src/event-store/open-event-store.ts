import pg from 'pg'
import { EventStoreDBClient } from '@eventstore/db-client'
import type { EventStore } from './event-store.ts'
import type { SnapshotStore } from './snapshot-store.ts'
import type { CheckpointStore } from './checkpoint-store.ts'
import { PostgresSnapshotStore } from './postgres/postgres-snapshot-store.ts'
import { EsdbSnapshotStore } from './esdb/esdb-snapshot-store.ts'
import { PostgresCheckpointStore } from './postgres/postgres-checkpoint-store.ts'
import { EsdbCheckpointStore } from './esdb/esdb-checkpoint-store.ts'
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.ts'
import { migrate } from './postgres/migrate.ts'
import { EsdbEventStore } from './esdb/esdb-event-store.ts'

export type EventStoreKind = 'postgres' | 'esdb'

export interface EventStoreConnection {
  kind: EventStoreKind
  events: EventStore
  snapshots: SnapshotStore
  /** Projections' checkpoints (the lobby's). */
  checkpoints: CheckpointStore
  /** Ends subscriptions, then releases the connections. */
  close(): Promise<void>
}

export interface OpenEventStoreOptions extends PostgresEventStoreOptions {
  /** PostgreSQL pool size. */
  poolSize?: number
  /** An idle PostgreSQL connection failed (the pool replaces it). */
  onConnectionError?: (err: Error) => void
}

export function eventStoreKind(url: string): EventStoreKind {
  const scheme = url.slice(0, url.indexOf(':'))
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres'
  if (scheme === 'esdb' || scheme === 'esdb+discover' || scheme === 'kurrentdb') return 'esdb'
  throw new Error(`EVENT_STORE_URL must start with postgres:// or esdb://, got "${scheme}:"`)
}

/**
 * Opens the adapters the URL's scheme names: `postgres://` (events, snapshots and checkpoints in
 * that database, migrated on open) or `esdb://` (all in EventStoreDB).
 */
export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<EventStoreConnection> {
  if (eventStoreKind(url) === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (err) => options.onConnectionError?.(err))
    try {
      await migrate(pool)
    } catch (err) {
      await pool.end()
      throw err
    }
    const events = new PostgresEventStore(pool, options)
    return {
      kind: 'postgres',
      events,
      snapshots: new PostgresSnapshotStore(pool),
      checkpoints: new PostgresCheckpointStore(pool),
      async close() {
        await events.close()
        await pool.end()
      },
    }
  }
  const client = EventStoreDBClient.connectionString(url.replace(/^kurrentdb:/, 'esdb:'))
  const events = new EsdbEventStore(client)
  return {
    kind: 'esdb',
    events,
    snapshots: new EsdbSnapshotStore(client),
    checkpoints: new EsdbCheckpointStore(client),
    async close() {
      await events.close()
      await client.dispose()
    },
  }
}
