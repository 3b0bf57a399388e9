import t from 'tap'
import { ApiError, SERVICE_UNAVAILABLE, requestJson } from '../../src/lib/api/http.ts'
import { fakeService } from '../fixtures/fake-service.ts'

t.test('JSON in, JSON out, bearer token sent', async (t) => {
  const service = await fakeService(() => ({ status: 201, body: { ok: true } }))
  t.teardown(service.close)
  const res = await requestJson<{ ok: boolean }>({ baseUrl: `${service.baseUrl}/` }, 'POST', '/v1/things', { body: { a: 1 }, token: 'tok' })
  t.same(res.body, { ok: true })
  t.equal(res.status, 201)
  const [sent] = service.requests
  t.equal(sent?.url, '/v1/things', 'a trailing slash on the base URL is fine')
  t.equal(sent?.headers.authorization, 'Bearer tok')
  t.equal(sent?.headers['content-type'], 'application/json')
  t.same(sent?.body, { a: 1 })
})

t.test("the service's own headers are read at each call", async (t) => {
  const service = await fakeService(() => ({ status: 204 }))
  t.teardown(service.close)
  let requestId = 'first'
  const options = { baseUrl: service.baseUrl, headers: () => ({ 'x-request-id': requestId }) }
  await requestJson<void>(options, 'GET', '/x')
  requestId = 'second'
  await requestJson<void>(options, 'GET', '/x')
  t.same(service.requests.map((r) => r.headers['x-request-id']), ['first', 'second'])
})

t.test('204 has no body; GET sends no content-type', async (t) => {
  const service = await fakeService(() => ({ status: 204 }))
  t.teardown(service.close)
  const res = await requestJson<void>({ baseUrl: service.baseUrl }, 'GET', '/x')
  t.equal(res.body, undefined)
  t.notOk(service.requests[0]?.headers['content-type'])
})

t.test('an error body becomes an ApiError with the stable code', async (t) => {
  const service = await fakeService(() => ({ status: 409, body: { error: { code: 'email_taken', message: 'already exists' } } }))
  t.teardown(service.close)
  const error = await requestJson({ baseUrl: service.baseUrl }, 'POST', '/v1/register', { body: {} }).catch((e: unknown) => e)
  t.ok(error instanceof ApiError)
  t.match(error, { status: 409, code: 'email_taken', message: 'already exists' })
})

t.test('a non-JSON error still gives a code', async (t) => {
  const service = await fakeService(() => ({ status: 502, raw: 'Bad Gateway' }))
  t.teardown(service.close)
  const error = await requestJson({ baseUrl: service.baseUrl }, 'GET', '/x').catch((e: unknown) => e)
  t.match(error, { status: 502, code: 'http_502' })
})

t.test('an unreachable service is a 503 service_unavailable, not a crash', async (t) => {
  const service = await fakeService(() => ({ status: 200 }))
  await service.close()
  const error = await requestJson({ baseUrl: service.baseUrl }, 'GET', '/x').catch((e: unknown) => e)
  t.match(error, { status: 503, code: SERVICE_UNAVAILABLE })
})
