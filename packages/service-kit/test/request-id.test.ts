import t from 'tap'
import { createServiceApp } from '../src/index.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

async function loggingApp() {
  const lines: Array<Record<string, unknown>> = []
  const app = await createServiceApp({ service: 'test-service', logLevel: 'info', logStream: { write: (line) => lines.push(JSON.parse(line)) } })
  app.get('/work', async (request) => {
    request.log.info('working on it')
    return { ok: true }
  })
  await app.ready()
  return { app, lines, linesOf: (reqId: string) => lines.filter((l) => l.reqId === reqId).map((l) => l.msg) }
}

t.test("the caller's x-request-id is the request's id: echoed, and on every log line of the request", async (t) => {
  const { app, linesOf } = await loggingApp()
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/work', headers: { 'x-request-id': 'abc-123' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-request-id'], 'abc-123', 'echoed')
  t.same(linesOf('abc-123'), ['incoming request', 'working on it', 'request completed'], "Fastify's lines and the route's own")
})

t.test('without one, or with one not worth keeping, the request gets a fresh uuid', async (t) => {
  const { app, lines, linesOf } = await loggingApp()
  t.teardown(() => app.close())
  const plain = await app.inject({ method: 'GET', url: '/work' })
  const id = String(plain.headers['x-request-id'])
  t.match(id, UUID, 'a generated uuid, echoed')
  t.same(linesOf(id), ['incoming request', 'working on it', 'request completed'])

  for (const silly of ['x'.repeat(300), 'two words', '"}{"forged":1']) {
    const res = await app.inject({ method: 'GET', url: '/work', headers: { 'x-request-id': silly } })
    t.match(res.headers['x-request-id'], UUID, `${JSON.stringify(silly.slice(0, 20))} is replaced`)
  }
  t.notOk(lines.some((l) => typeof l.reqId === 'string' && !UUID.test(l.reqId)), 'no log line carries what was refused')

  const other = await app.inject({ method: 'GET', url: '/work' })
  t.not(other.headers['x-request-id'], id, 'each request its own')
})

t.test('a 404 and an error answer carry the id too', async (t) => {
  const { app, linesOf } = await loggingApp()
  t.teardown(() => app.close())
  const missing = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'lost-1' } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['x-request-id'], 'lost-1')
  const bad = await app.inject({ method: 'POST', url: '/work', headers: { 'x-request-id': 'bad-1', 'content-type': 'application/json' }, payload: '{' })
  t.equal(bad.headers['x-request-id'], 'bad-1')
  t.ok(linesOf('lost-1').includes('request completed'))
})
