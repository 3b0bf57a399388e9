import t from 'tap'
import fc from 'fast-check'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { bearer, createWorld } from '../fixtures/profile-app.ts'
import {
  FuzzTally,
  assertErrorAnswer,
  errorAnswerProblems,
  hostileBodies,
  hostileQuery,
  hostileString,
  hostileUrlPart,
  prototypePollution,
  sendBody,
  type BodyShape,
} from '@tandem/service-kit/testing/abuse'

// Property: every generated bad request gets a 4xx in the error shape, never a 5xx, and no
// profile changes (version, document, count).

const RUNS_PER_ROUTE = 150

const world = await createWorld()
t.teardown(() => world.close())
const app = await world.startApp()
const ann = randomUUID()
const auth = bearer(world, ann, 'Ann')
if ((await app.inject({ url: '/v1/profiles/me', headers: auth })).statusCode !== 200) throw new Error('Ann has no profile')

const db = new pg.Client({ connectionString: world.db.url })
await db.connect()
t.teardown(() => db.end())
const profilesState = async () => JSON.stringify((await db.query('SELECT user_id, version, doc FROM profiles ORDER BY user_id')).rows)

const editShape: BodyShape = {
  valid: { displayName: 'Ann Fuzz', bio: 'hello', avatarColor: '#1a2b3c', preferences: { autoSync: false } },
  required: [],
  fields: {
    displayName: { type: 'string', invalid: ['', '   ', 'x'.repeat(41), 'a\u0000b', '\ud800', 'x\udfff', 'line\nbreak', '\u202eevil'] },
    bio: { type: 'string', invalid: ['x'.repeat(281), 'a\u0000b', '\ud800', 'bell\u0007'] },
    avatarColor: { type: 'string', invalid: ['', 'red', '#12345', '#1234567', '#ggg000', 'javascript:alert(1)', ' #1a2b3c'] },
    preferences: { type: 'object', invalid: [{ autoSync: 'yes' }, { autoSync: 1 }, { theme: 'dark' }, { autoSync: null }, { constructor: true }] },
  },
}

for (const url of ['/v1/profiles/me', `/v1/profiles/${ann}`]) {
  t.test(`PATCH ${url}: generated bad bodies get a 4xx error and change no profile`, async (t) => {
    const tally = new FuzzTally()
    const before = await profilesState()
    await fc.assert(
      fc.asyncProperty(hostileBodies(editShape), async (body) => {
        const res = await sendBody(app, 'PATCH', url, body, auth)
        tally.recordResponse(body.kind, res)
        assertErrorAnswer(res, body.kind)
        tally.expectUnchanged(await profilesState(), before, `${body.kind}: the request changed a profile`)
      }),
      { numRuns: RUNS_PER_ROUTE },
    )
    t.comment(tally.summary(`fuzz PATCH ${url.replace(ann, ':userId')}`))
    t.equal(tally.serverErrors, 0)
    t.equal(tally.stateChanges, 0)
  })
}

t.test('PATCH with a valid body and a hostile If-Match never gets through', async (t) => {
  const tally = new FuzzTally()
  const before = await profilesState()
  const { version } = JSON.parse(before).find((p: { user_id: string }) => p.user_id === ann) as { version: number }
  const headerSafe = (s: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)
  const matchesCurrent = (s: string) => s.trim() === '*' || s.split(',').some((tag) => tag.trim() === `"${version}"`)
  const ifMatch = fc
    .oneof(
      hostileString.filter((s) => s.length < 2000),
      fc.integer({ min: -5, max: 1e9 }).map((n) => `"${n}"`),
      fc.constantFrom(`W/"${version}"`, `${version}`, `"${version}`, `'${version}'`, `"0${version}"`, `"${version}.0"`, '**', '"*"', ''),
    )
    .filter((s) => headerSafe(s) && !matchesCurrent(s))
  await fc.assert(
    fc.asyncProperty(ifMatch, async (value) => {
      const res = await app.inject({ method: 'PATCH', url: '/v1/profiles/me', headers: { ...auth, 'if-match': value }, payload: { bio: 'overwritten' } })
      tally.recordResponse('If-Match', res)
      if (res.statusCode !== 412 || errorAnswerProblems(res).length > 0) throw new Error(`If-Match ${JSON.stringify(value)}: ${res.statusCode} ${res.body}`)
      tally.expectUnchanged(await profilesState(), before, `If-Match ${JSON.stringify(value)} let an edit through`)
    }),
    { numRuns: RUNS_PER_ROUTE },
  )
  t.comment(tally.summary('fuzz If-Match on PATCH /v1/profiles/me'))
  t.equal(tally.stateChanges, 0)
})

t.test('GET routes: hostile ids, paths and query strings get no 5xx, and errors keep the shape', async (t) => {
  const tally = new FuzzTally()
  const before = await profilesState()
  const request = fc.oneof(
    hostileUrlPart.map((part) => ({ kind: 'user id', url: `/v1/profiles/${part}` })),
    hostileUrlPart.map((part) => ({ kind: 'ids', url: `/v1/profiles?ids=${part}` })),
    fc.array(hostileUrlPart, { minLength: 2, maxLength: 120 }).map((parts) => ({ kind: 'id list', url: `/v1/profiles?ids=${parts.join(',')}` })),
    hostileQuery.map((q) => ({ kind: 'query', url: `/v1/profiles?${q}` })),
    hostileQuery.map((q) => ({ kind: 'query', url: `/v1/profiles/me?${q}` })),
  )
  await fc.assert(
    fc.asyncProperty(request, async ({ kind, url }) => {
      const res = await app.inject({ method: 'GET', url, headers: auth })
      tally.recordResponse(kind, res)
      if (res.statusCode >= 400) assertErrorAnswer(res, url.slice(0, 200))
      tally.expectUnchanged(await profilesState(), before, 'a GET changed a profile')
    }),
    { numRuns: 250 },
  )
  t.comment(tally.summary('fuzz GET ids, paths and queries'))
  t.equal(tally.serverErrors, 0)
})

t.test('nothing was added to Object.prototype, and the owner can still edit', async (t) => {
  t.same(prototypePollution(), [])
  const res = await app.inject({ method: 'PATCH', url: '/v1/profiles/me', headers: auth, payload: { bio: 'still works' } })
  t.equal(res.statusCode, 200)
})
