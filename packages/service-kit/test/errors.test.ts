import t from 'tap'
import type { InjectOptions } from 'fastify'
import pg from 'pg'
import { AppError, createServiceApp } from '../src/index.ts'
import { adminDatabaseUrl, freePort } from '../src/testing/index.ts'

async function app() {
  const app = await createServiceApp({ service: 'test', logLevel: 'silent', bodyLimit: 1024 })
  app.post('/echo', {
    schema: {
      body: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string', maxLength: 10 } },
      },
    },
  }, async (request) => request.body)
  app.get('/items/:id', async (request) => request.params)
  app.get('/teapot', async () => {
    throw new AppError(418, 'teapot', 'short and stout')
  })
  app.get('/boom', async () => {
    throw new Error('secret internals')
  })
  return app
}

t.test('errors have the shared shape and stable codes', async (t) => {
  const a = await app()
  t.teardown(() => a.close())
  const cases: Array<[string, InjectOptions, number, string]> = [
    ['AppError', { method: 'GET', url: '/teapot' }, 418, 'teapot'],
    ['unknown route', { method: 'GET', url: '/nope?x=1' }, 404, 'not_found'],
    ['malformed JSON', { method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"name":' }, 400, 'invalid_json'],
    ['missing field', { method: 'POST', url: '/echo', payload: {} }, 400, 'validation_failed'],
    ['unknown field', { method: 'POST', url: '/echo', payload: { name: 'a', admin: true } }, 400, 'validation_failed'],
    ['type-confused field', { method: 'POST', url: '/echo', payload: { name: 42 } }, 400, 'validation_failed'],
    ['too long field', { method: 'POST', url: '/echo', payload: { name: 'x'.repeat(11) } }, 400, 'validation_failed'],
    ['invalid UTF-8', { method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')]) }, 400, 'invalid_encoding'],
    ['badly percent-encoded URL', { method: 'GET', url: '/teapot/%ff' }, 400, 'invalid_url'],
    ['overlong path parameter', { method: 'GET', url: `/items/${'x'.repeat(200)}` }, 414, 'uri_too_long'],
    ['oversized body', { method: 'POST', url: '/echo', payload: { name: 'x'.repeat(2000) } }, 413, 'body_too_large'],
    ['unexpected error', { method: 'GET', url: '/boom' }, 500, 'internal'],
  ]
  for (const [name, req, status, code] of cases) {
    const res = await a.inject(req)
    t.equal(res.statusCode, status, `${name}: status`)
    t.equal(res.json().error.code, code, `${name}: code`)
    t.type(res.json().error.message, 'string', `${name}: message`)
  }
  const unknown = await a.inject({ method: 'POST', url: '/echo', payload: { name: 'a', admin: true } })
  t.equal(unknown.json().error.message, 'unknown field admin')
  const boom = await a.inject({ method: 'GET', url: '/boom' })
  t.notMatch(boom.body, /secret internals/, 'a 500 reveals nothing')
})

t.test('security headers are set and CORS is closed by default', async (t) => {
  const a = await app()
  t.teardown(() => a.close())
  const res = await a.inject({ method: 'GET', url: '/teapot', headers: { origin: 'http://evil.example' } })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['access-control-allow-origin'], undefined)
})

t.test('a database that cannot be reached is a 503 unavailable (retry), not a 500', async (t) => {
  const a = await createServiceApp({ service: 'test', logLevel: 'silent' })
  t.teardown(() => a.close())
  const closedPort = await freePort()
  const down = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${closedPort}/postgres` })
  const db = new pg.Pool({ connectionString: adminDatabaseUrl, max: 2 })
  t.teardown(() => Promise.all([down.end(), db.end()]))
  db.on('error', () => undefined)
  a.get('/down', async () => down.query('SELECT 1'))
  // The server ends the connection mid-query, as it does when it shuts down (57P01).
  a.get('/terminated', async () => {
    const client = await db.connect()
    client.on('error', () => undefined)
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    const running = client.query('SELECT pg_sleep(10)')
    // it may fail before it is awaited below; that must not count as an unhandled rejection
    running.catch(() => undefined)
    await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid])
    try {
      return await running
    } finally {
      client.release(true)
    }
  })
  a.get('/bad-sql', async () => db.query('SELEC 1'))
  await a.ready()

  for (const url of ['/down', '/terminated']) {
    const res = await a.inject({ method: 'GET', url })
    t.equal(res.statusCode, 503, `${url}: status`)
    t.equal(res.json().error.code, 'unavailable', `${url}: code`)
    t.equal(res.headers['retry-after'], '1', `${url}: Retry-After`)
  }
  const bug = await a.inject({ method: 'GET', url: '/bad-sql' })
  t.equal(bug.statusCode, 500, 'a query that is wrong stays a 500')
})
