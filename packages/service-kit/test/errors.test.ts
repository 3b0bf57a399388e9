import t from 'tap'
import type { InjectOptions } from 'fastify'
import { AppError, createServiceApp } from '../src/index.ts'

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
