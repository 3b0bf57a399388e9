import t from 'tap'
import fc from 'fast-check'
import { register, startAuthApp } from '../fixtures/auth-app.ts'
import {
  FuzzTally,
  assertErrorAnswer,
  hostileBodies,
  hostileQuery,
  hostileUrlPart,
  prototypePollution,
  sendBody,
  type BodyShape,
} from '@tandem/service-kit/testing/abuse'

// Property: every generated bad request gets a 4xx in the error shape, never a 5xx, and changes
// no account, sign-in or outbox row.

const RUNS_PER_ROUTE = 150

const { app } = await startAuthApp(t, { listen: true })
const ann = await register(app)
const pool = app.auth.pool

/** Every row a request could add or change; rate-limit counters are meant to change and are left out. */
async function accountState(): Promise<string> {
  const { rows } = await pool.query(`
    SELECT (SELECT count(*) FROM users) AS users,
           (SELECT string_agg(email || '/' || display_name || '/' || password_hash, ',' ORDER BY id) FROM users) AS user_rows,
           (SELECT count(*) FROM refresh_token_families WHERE revoked_at IS NULL) AS live_families,
           (SELECT count(*) FROM refresh_tokens) AS tokens,
           (SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL) AS used_tokens,
           (SELECT count(*) FROM outbox) AS outbox`)
  return JSON.stringify(rows[0])
}

const emailValues = { type: 'string', invalid: ['', 'x'.repeat(255), 'a\u0000@example.com'] } as const
const refreshToken = { type: 'string', invalid: ['', 'x'.repeat(513)] } as const

const routes: Array<{ url: string; shape: BodyShape }> = [
  {
    url: '/v1/register',
    shape: {
      valid: { email: 'fuzz.target@example.com', password: 'correct horse battery', displayName: 'Fuzz Target' },
      required: ['email', 'password', 'displayName'],
      fields: {
        email: { type: 'string', invalid: [...emailValues.invalid, 'no-at-sign', 'a@', '@example.com', 'a b@example.com', 'ann@exa\u0000mple.com'] },
        password: { type: 'string', invalid: ['', 'short', 'x'.repeat(129)] },
        displayName: { type: 'string', invalid: ['', '   ', 'x'.repeat(41), 'a\u0000b', 'line\nbreak', '\ud800', 'x\udfff', '\u2028'] },
      },
    },
  },
  {
    url: '/v1/login',
    shape: {
      valid: { email: ann.user.email, password: ann.password },
      required: ['email', 'password'],
      fields: { email: emailValues, password: { type: 'string', invalid: ['', 'x'.repeat(129)] } },
    },
  },
  { url: '/v1/refresh', shape: { valid: { refreshToken: ann.refreshToken }, required: ['refreshToken'], fields: { refreshToken } } },
  { url: '/v1/logout', shape: { valid: { refreshToken: ann.refreshToken }, required: ['refreshToken'], fields: { refreshToken } } },
]

for (const { url, shape } of routes) {
  t.test(`POST ${url}: generated bad bodies get a 4xx error and change nothing`, async (t) => {
    const tally = new FuzzTally()
    const before = await accountState()
    await fc.assert(
      fc.asyncProperty(hostileBodies(shape), async (body) => {
        const res = await sendBody(app, 'POST', url, body)
        tally.recordResponse(body.kind, res)
        assertErrorAnswer(res, body.kind)
        tally.expectUnchanged(await accountState(), before, `${body.kind}: the request changed the accounts`)
      }),
      { numRuns: RUNS_PER_ROUTE },
    )
    t.comment(tally.summary(`fuzz POST ${url}`))
    t.equal(tally.serverErrors, 0)
    t.equal(tally.stateChanges, 0)
  })
}

t.test('GET routes: hostile paths and query strings get no 5xx, and errors keep the shape', async (t) => {
  const tally = new FuzzTally()
  const before = await accountState()
  const authorization = `Bearer ${ann.accessToken}`
  const request = fc.oneof(
    hostileQuery.map((q) => `/v1/me?${q}`),
    hostileQuery.map((q) => `/.well-known/jwks.json?${q}`),
    hostileQuery.map((q) => `/healthz?${q}`),
    hostileUrlPart.map((part) => `/v1/me/${part}`),
    hostileUrlPart.map((part) => `/v1/${part}`),
  )
  await fc.assert(
    fc.asyncProperty(request, async (url) => {
      const res = await app.inject({ method: 'GET', url, headers: { authorization } })
      tally.recordResponse(url.includes('?') ? 'query' : 'path', res)
      if (res.statusCode >= 400) assertErrorAnswer(res, url.slice(0, 200))
      tally.expectUnchanged(await accountState(), before, 'a GET changed the accounts')
    }),
    { numRuns: 200 },
  )
  t.comment(tally.summary('fuzz GET paths and queries'))
  t.equal(tally.serverErrors, 0)
})

t.test('nothing was added to Object.prototype, and the service still works', async (t) => {
  t.same(prototypePollution(), [])
  const res = await app.inject({ method: 'POST', url: '/v1/login', payload: { email: ann.user.email, password: ann.password } })
  t.equal(res.statusCode, 200)
})
