import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { WEB_ORIGIN, corsProblems, foreignOrigins, securityHeaderProblems } from '@tandem/service-kit/testing/abuse'

const world = await createWorld(t)
const server = await startSessionApp(t, world, { env: { CORS_ORIGINS: WEB_ORIGIN } })
const app = server.app
const HOST = randomUUID()
const auth = (user: string) => ({ authorization: `Bearer ${world.issuer.sign(user)}` })
const open = await createSession(server.baseUrl, world.issuer.sign(HOST))
const ended = await createSession(server.baseUrl, world.issuer.sign(HOST))
await app.inject({ method: 'POST', url: `/v1/sessions/${ended.id}/end`, headers: auth(HOST) })

t.test('every kind of answer carries the security headers', async (t) => {
  const answers = {
    'health 200': await app.inject({ method: 'GET', url: '/healthz' }),
    'lobby 200': await app.inject({ method: 'GET', url: '/v1/sessions', headers: auth(HOST) }),
    'create 201': await app.inject({ method: 'POST', url: '/v1/sessions', headers: auth(HOST), payload: { title: 'Headers', videoUrl: 'https://videos.example/a.mp4' } }),
    'validation 400': await app.inject({ method: 'POST', url: '/v1/sessions', headers: auth(HOST), payload: { title: 'No video' } }),
    'unauthenticated 401': await app.inject({ method: 'GET', url: '/v1/sessions' }),
    'not a member 403': await app.inject({ method: 'POST', url: `/v1/sessions/${open.id}/leave`, headers: auth(randomUUID()) }),
    'unknown session 404': await app.inject({ method: 'GET', url: `/v1/sessions/${randomUUID()}`, headers: auth(HOST) }),
    'ended 409': await app.inject({ method: 'POST', url: `/v1/sessions/${ended.id}/join`, headers: auth(randomUUID()) }),
  }
  for (const [what, res] of Object.entries(answers)) {
    t.equal(String(res.statusCode), what.split(' ').at(-1), `${what}: status`)
    t.same(securityHeaderProblems(res.headers), [], what)
  }
  t.comment(`security headers on session-service: ${Object.keys(answers).length} kinds of answer checked, missing headers: 0`)
})

t.test('CORS lets in the web origin only', async (t) => {
  const routes = [['GET', '/v1/sessions'], ['POST', '/v1/sessions'], ['GET', `/v1/sessions/${open.id}`], ['POST', `/v1/sessions/${open.id}/join`]] as const
  for (const [method, url] of routes) t.same(await corsProblems(app, method, url), [], `${method} ${url}`)
  for (const origin of foreignOrigins) {
    const res = await app.inject({ method: 'GET', url: '/v1/sessions', headers: { ...auth(HOST), origin } })
    t.equal(res.headers['access-control-allow-origin'], undefined, `a simple request from ${origin}`)
  }
  t.comment(`CORS on session-service: ${routes.length} routes × ${foreignOrigins.length} foreign origins preflighted, let in: 0`)
})
