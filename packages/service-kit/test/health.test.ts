import t from 'tap'
import { createServiceApp, healthPlugin } from '../src/index.ts'

t.test('readyz reports each check and 503 when one fails', async (t) => {
  let dbUp = true
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  await app.register(healthPlugin, {
    timeoutMs: 200,
    checks: {
      db: async () => { if (!dbUp) throw new Error('connection refused') },
      slow: async () => {},
    },
  })
  t.teardown(() => app.close())
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  let res = await app.inject('/readyz')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ready', checks: { db: 'ok', slow: 'ok' } })
  dbUp = false
  res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'not_ready', checks: { db: 'connection refused', slow: 'ok' } })
})

t.test('a check that hangs counts as failed', async (t) => {
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  await app.register(healthPlugin, { timeoutMs: 50, checks: { hang: () => new Promise(() => {}) } })
  t.teardown(() => app.close())
  const res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  t.match(res.json().checks.hang, /no answer within 50 ms/)
})

t.test('readyz answers 503 draining while the process drains; healthz stays 200', async (t) => {
  let draining = false
  const app = await createServiceApp({ service: 'test', logLevel: 'silent' })
  await app.register(healthPlugin, { checks: { db: async () => {} }, draining: () => draining })
  t.teardown(() => app.close())
  t.equal((await app.inject('/readyz')).statusCode, 200)
  draining = true
  const res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  t.equal(res.json().error.code, 'draining')
  t.type(res.json().error.message, 'string')
  t.equal((await app.inject('/healthz')).statusCode, 200, 'the process is still alive')
})
