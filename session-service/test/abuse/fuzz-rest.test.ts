import t, { type Test } from 'tap'
import fc from 'fast-check'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
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

// Property: every generated bad request gets a 4xx in the error shape, never a 5xx, and appends
// no event to any session.

const RUNS_PER_ROUTE = 150

const world = await createWorld(t)
const server = await startSessionApp(t, world)
const app = server.app
const HOST = randomUUID()
const ALICE = randomUUID()
const MALLORY = randomUUID()
const bearer = (user: string) => ({ authorization: `Bearer ${world.issuer.sign(user)}` })
const open = await createSession(server.baseUrl, world.issuer.sign(HOST), { controlMode: 'everyone' })
await api(server.baseUrl, 'POST', `/v1/sessions/${open.id}/join`, world.issuer.sign(ALICE))
const ended = await createSession(server.baseUrl, world.issuer.sign(HOST))
await api(server.baseUrl, 'POST', `/v1/sessions/${ended.id}/end`, world.issuer.sign(HOST))

const db = new pg.Client({ connectionString: world.database.url })
await db.connect()
t.teardown(() => db.end())
/** Every stream's revision and the number of events: what a request could have appended to. */
const storeState = async () =>
  JSON.stringify((await db.query('SELECT stream_id, revision, (SELECT count(*) FROM events) AS events FROM streams ORDER BY stream_id')).rows)

const createShape: BodyShape = {
  valid: { title: 'Fuzz night', videoUrl: 'https://videos.example/fuzz.mp4', controlMode: 'everyone', visibility: 'public' },
  required: ['title', 'videoUrl'],
  fields: {
    title: { type: 'string', invalid: ['', '   ', 'x'.repeat(121), 'x'.repeat(241), 'a\u0000b', '\ud800', 'x\udfff'] },
    videoUrl: {
      type: 'string',
      invalid: [
        '', 'not a url', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://videos.example/a.mp4',
        'https://videos.example/\u0000', 'https://videos.example/\ud800', `https://videos.example/${'x'.repeat(2048)}`,
      ],
    },
    controlMode: { type: 'string', invalid: ['', 'chaos', 'HOST', 'everyone ', '__proto__'] },
    visibility: { type: 'string', invalid: ['', 'secret', 'PUBLIC', 'private ', '__proto__'] },
  },
}

async function fuzzPost(t: Test, label: string, url: string, user: string) {
  const tally = new FuzzTally()
  const before = await storeState()
  await fc.assert(
    fc.asyncProperty(hostileBodies(createShape), async (body) => {
      const res = await sendBody(app, 'POST', url, body, bearer(user))
      tally.recordResponse(body.kind, res)
      assertErrorAnswer(res, body.kind)
      tally.expectUnchanged(await storeState(), before, `${body.kind}: the request appended to a session`)
    }),
    { numRuns: RUNS_PER_ROUTE },
  )
  t.comment(tally.summary(`fuzz POST ${label}`))
  t.equal(tally.serverErrors, 0)
  t.equal(tally.stateChanges, 0)
}

t.test('POST /v1/sessions: generated bad bodies get a 4xx error and create nothing', (t) => fuzzPost(t, '/v1/sessions', '/v1/sessions', HOST))

// join, leave and end take no body; whatever arrives must still never cause a 5xx or an event
// (sent by users the rules refuse, so a body that happens to parse changes nothing either).
t.test('POST join/leave/end: any body gets a 4xx error and appends nothing', async (t) => {
  await t.test('join an ended session', (t) => fuzzPost(t, '/v1/sessions/:id/join', `/v1/sessions/${ended.id}/join`, MALLORY))
  await t.test('leave as a non-member', (t) => fuzzPost(t, '/v1/sessions/:id/leave', `/v1/sessions/${open.id}/leave`, MALLORY))
  await t.test('end as a member who is not the host', (t) => fuzzPost(t, '/v1/sessions/:id/end', `/v1/sessions/${open.id}/end`, ALICE))
})

t.test('hostile session ids, paths and query strings get no 5xx, and errors keep the shape', async (t) => {
  const tally = new FuzzTally()
  const before = await storeState()
  const request = fc.oneof(
    hostileUrlPart.map((id) => ({ kind: 'GET id', method: 'GET' as const, url: `/v1/sessions/${id}` })),
    fc.tuple(hostileUrlPart, fc.constantFrom('join', 'leave', 'end')).map(([id, action]) => ({ kind: 'POST id', method: 'POST' as const, url: `/v1/sessions/${id}/${action}` })),
    hostileQuery.map((q) => ({ kind: 'query', method: 'GET' as const, url: `/v1/sessions?${q}` })),
    hostileQuery.map((q) => ({ kind: 'query', method: 'GET' as const, url: `/v1/sessions/${open.id}?${q}` })),
  )
  await fc.assert(
    fc.asyncProperty(request, async ({ kind, method, url }) => {
      const res = await app.inject({ method, url, headers: bearer(MALLORY) })
      tally.recordResponse(kind, res)
      if (res.statusCode >= 400) assertErrorAnswer(res, `${method} ${url.slice(0, 200)}`)
      tally.expectUnchanged(await storeState(), before, `${method} ${url.slice(0, 200)} appended to a session`)
    }),
    { numRuns: 250 },
  )
  t.comment(tally.summary('fuzz session ids, paths and queries'))
  t.equal(tally.serverErrors, 0)
  t.equal(tally.stateChanges, 0)
})

t.test('nothing was added to Object.prototype, and the service still works', async (t) => {
  t.same(prototypePollution(), [])
  const res = await sendBody(app, 'POST', '/v1/sessions', { kind: 'valid', contentType: 'application/json', payload: JSON.stringify(createShape.valid) }, bearer(HOST))
  t.equal(res.statusCode, 201)
})
