import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** Admin connection used to create and drop throwaway databases. */
export const adminDatabaseUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  name: string
  url: string
  drop(): Promise<void>
}

/** Creates an empty database with a random name; `drop()` removes it, closing any connection left. */
export async function createTestDatabase(prefix = 'tandem_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`))
  const url = new URL(adminDatabaseUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  }
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
