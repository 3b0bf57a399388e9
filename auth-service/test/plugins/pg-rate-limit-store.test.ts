import t from 'tap'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { createPool } from '../../src/db/pool.ts'
import { migrate } from '../../src/db/migrate.ts'
import { pgRateLimitStore } from '../../src/plugins/pg-rate-limit-store.ts'

t.test('counts hits per key in a fixed window, shared by every store on the database', async (t) => {
  const database = await createTestDatabase('tandem_auth_test')
  t.teardown(() => database.drop())
  const pool = createPool(database.url)
  t.teardown(() => pool.end())
  await migrate(pool)
  const Store = pgRateLimitStore(pool)
  const one = new Store({})
  const other = new Store({}).child({} as never)
  const incr = (store: InstanceType<typeof Store>, key: string, windowMs: number) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      store.incr(key, (err, res) => (err ? reject(err) : resolve(res!)), windowMs, 10),
    )

  t.same((await incr(one, 'k', 60_000)).current, 1)
  t.same((await incr(other, 'k', 60_000)).current, 2, 'another store instance counts into the same window')
  const third = await incr(one, 'k', 60_000)
  t.equal(third.current, 3)
  t.ok(third.ttl > 55_000 && third.ttl <= 60_000, `ttl ${third.ttl} ms is what is left of the window`)
  t.equal((await incr(one, 'another key', 60_000)).current, 1)

  t.equal((await incr(one, 'short', 50)).current, 1)
  await new Promise((r) => setTimeout(r, 120))
  t.equal((await incr(one, 'short', 50)).current, 1, 'an ended window starts over')

  const concurrent = await Promise.all(Array.from({ length: 20 }, () => incr(one, 'race', 60_000)))
  t.same(concurrent.map((r) => r.current).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), 'no lost updates')
})
