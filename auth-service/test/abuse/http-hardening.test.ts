import t from 'tap'
import { newUser, startAuthApp } from '../fixtures/auth-app.ts'
import { WEB_ORIGIN, corsProblems, foreignOrigins, securityHeaderProblems } from '@tandem/service-kit/testing/abuse'

const { app } = await startAuthApp(t, { env: { CORS_ORIGINS: WEB_ORIGIN } })

t.test('every kind of answer carries the security headers', async (t) => {
  const answers = {
    'health 200': await app.inject({ method: 'GET', url: '/healthz' }),
    'JWKS 200': await app.inject({ method: 'GET', url: '/.well-known/jwks.json' }),
    'register 201': await app.inject({ method: 'POST', url: '/v1/register', payload: newUser() }),
    'validation 400': await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'a@example.com' } }),
    'unauthenticated 401': await app.inject({ method: 'GET', url: '/v1/me' }),
    'unknown route 404': await app.inject({ method: 'GET', url: '/v1/nothing-here' }),
    'unsupported media 415': await app.inject({ method: 'POST', url: '/v1/login', payload: 'x', headers: { 'content-type': 'application/xml' } }),
  }
  for (const [what, res] of Object.entries(answers)) t.same(securityHeaderProblems(res.headers), [], what)
  t.comment(`security headers on auth-service: ${Object.keys(answers).length} kinds of answer checked, missing headers: 0`)
})

t.test('CORS lets in the web origin only', async (t) => {
  const routes = [['POST', '/v1/register'], ['POST', '/v1/login'], ['POST', '/v1/refresh'], ['POST', '/v1/logout'], ['GET', '/v1/me']] as const
  for (const [method, url] of routes) t.same(await corsProblems(app, method, url), [], `${method} ${url}`)
  for (const origin of foreignOrigins) {
    const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json', headers: { origin } })
    t.equal(res.headers['access-control-allow-origin'], undefined, `a simple request from ${origin}`)
  }
  t.comment(`CORS on auth-service: ${routes.length} routes × ${foreignOrigins.length} foreign origins preflighted, let in: 0`)
})
