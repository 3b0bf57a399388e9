import t from 'tap'
import { randomUUID } from 'node:crypto'
import { bearer, createWorld } from '../fixtures/profile-app.ts'
import { WEB_ORIGIN, corsProblems, foreignOrigins, securityHeaderProblems } from '@tandem/service-kit/testing/abuse'

const world = await createWorld()
t.teardown(() => world.close())
const app = await world.startApp({ CORS_ORIGINS: WEB_ORIGIN })
const auth = bearer(world, randomUUID())

t.test('every kind of answer carries the security headers', async (t) => {
  const answers = {
    'health 200': await app.inject({ method: 'GET', url: '/healthz' }),
    'own profile 200': await app.inject({ method: 'GET', url: '/v1/profiles/me', headers: auth }),
    'not modified 304': await app.inject({ method: 'GET', url: '/v1/profiles/me', headers: { ...auth, 'if-none-match': '"1"' } }),
    'edit 200': await app.inject({ method: 'PATCH', url: '/v1/profiles/me', headers: auth, payload: { bio: 'hi' } }),
    'validation 400': await app.inject({ method: 'PATCH', url: '/v1/profiles/me', headers: auth, payload: { colour: 'red' } }),
    'unauthenticated 401': await app.inject({ method: 'GET', url: '/v1/profiles/me' }),
    'forbidden 403': await app.inject({ method: 'PATCH', url: `/v1/profiles/${randomUUID()}`, headers: auth, payload: { bio: 'x' } }),
    'unknown profile 404': await app.inject({ method: 'GET', url: `/v1/profiles/${randomUUID()}`, headers: auth }),
    'precondition 412': await app.inject({ method: 'PATCH', url: '/v1/profiles/me', headers: { ...auth, 'if-match': '"1"' }, payload: { bio: 'x' } }),
  }
  for (const [what, res] of Object.entries(answers)) {
    t.equal(String(res.statusCode), what.split(' ').at(-1), `${what}: status`)
    t.same(securityHeaderProblems(res.headers), [], what)
  }
  t.comment(`security headers on profile-service: ${Object.keys(answers).length} kinds of answer checked, missing headers: 0`)
})

t.test('CORS lets in the web origin only', async (t) => {
  const routes = [['GET', '/v1/profiles/me'], ['PATCH', '/v1/profiles/me'], ['GET', `/v1/profiles/${randomUUID()}`], ['GET', '/v1/profiles?ids=a']] as const
  for (const [method, url] of routes) t.same(await corsProblems(app, method, url), [], `${method} ${url}`)
  for (const origin of foreignOrigins) {
    const res = await app.inject({ method: 'GET', url: '/v1/profiles/me', headers: { ...auth, origin } })
    t.equal(res.headers['access-control-allow-origin'], undefined, `a simple request from ${origin}`)
  }
  t.comment(`CORS on profile-service: ${routes.length} routes × ${foreignOrigins.length} foreign origins preflighted, let in: 0`)
})
