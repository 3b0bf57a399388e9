import pg from 'pg'

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

export function createPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5000 })
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process;
  // the pool drops it and the next query opens a new one.
  pool.on('error', () => {})
  // Nor may a client that loses it while checked out between two queries (a transaction, or
  // the outbox relay waiting for JetStream): its next query fails instead, and the pool
  // discards it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

/** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

/** PostgreSQL's unique_violation, with the name of the index that was hit. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string }
  return e.code === '23505' ? (e.constraint ?? '') : undefined
}
