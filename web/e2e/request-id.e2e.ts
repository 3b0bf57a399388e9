import t from 'tap'
import { fakeService } from '../test/fixtures/fake-service.ts'
import { REFRESH_COOKIE } from '../src/lib/server/auth-cookies.ts'
import { startWeb } from './web-server.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * The built web server, with a stand-in for every service that records what web sends: a page
 * request with a refresh cookie makes web call auth-service's /v1/refresh (refused here, so the
 * visitor is signed out and sees the login page).
 */
t.test('web gives each request an id, sends it to the services it calls, echoes it and logs it', async (t) => {
  const auth = await fakeService(() => ({ status: 401, body: { error: { code: 'invalid_token', message: 'refresh token refused' } } }))
  t.teardown(auth.close)
  const other = await fakeService(() => ({ status: 503, body: { error: { code: 'unavailable', message: 'not in this test' } } }))
  t.teardown(other.close)
  const web = await startWeb({ AUTH_URL: auth.baseUrl, PROFILE_URL: other.baseUrl, SESSION_URL: other.baseUrl })
  t.teardown(web.stop)
  const visit = (headers: Record<string, string> = {}) =>
    fetch(`${web.url}/login`, { headers: { cookie: `${REFRESH_COOKIE}=some-refresh-token`, ...headers }, redirect: 'manual' })
  const refreshCalls = () => auth.requests.filter((r) => r.url === '/v1/refresh')

  const given = await visit({ 'x-request-id': 'abc-123' })
  t.equal(given.status, 200)
  t.equal(given.headers.get('x-request-id'), 'abc-123', 'echoed to the browser')
  t.equal(refreshCalls().length, 1, 'web called auth-service')
  t.equal(refreshCalls()[0]?.headers['x-request-id'], 'abc-123', 'with the request id')
  const line = web
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { reqId?: string; req?: { method: string; url: string }; res?: { statusCode: number } })
    .find((l) => l.reqId === 'abc-123')
  t.same(line?.req, { method: 'GET', url: '/login' }, "web's own log line names the request id")
  t.equal(line?.res?.statusCode, 200)

  const fresh = await visit()
  const id = fresh.headers.get('x-request-id') ?? ''
  t.match(id, UUID, 'a request without one gets a fresh uuid')
  t.equal(refreshCalls()[1]?.headers['x-request-id'], id, 'and the services get that one')

  const silly = await visit({ 'x-request-id': 'two words and far too long'.repeat(10) })
  const replaced = silly.headers.get('x-request-id') ?? ''
  t.match(replaced, UUID, 'an id not worth keeping is replaced')
  t.equal(refreshCalls()[2]?.headers['x-request-id'], replaced)
})
