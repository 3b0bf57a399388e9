import t from 'tap'
import { randomUUID } from 'node:crypto'
import { JSONCodec } from 'nats'
import type { ProfileUpdated } from '@tandem/contracts'
import { createWorld, bearer } from '../fixtures/profile-app.ts'

const world = await createWorld()
t.teardown(() => world.close())
const app = await world.startApp()

function patch(userId: string, body: unknown, headers: Record<string, string> = {}, url = '/v1/profiles/me') {
  return app.inject({ method: 'PATCH', url, headers: { ...bearer(world, userId), ...headers }, payload: body as object })
}

async function newUser(name = 'Test User'): Promise<string> {
  const userId = randomUUID()
  await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId, name) })
  return userId
}

t.test('the owner edits their profile; the response carries the new ETag', async (t) => {
  const userId = await newUser()
  const res = await patch(userId, {
    displayName: '  Grace  ',
    bio: 'Admiral',
    avatarColor: '#5A67D8',
    preferences: { chatTimestamps: false },
  })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"2"')
  t.match(res.json(), {
    userId,
    displayName: 'Grace',
    bio: 'Admiral',
    avatarColor: '#5a67d8',
    preferences: { autoSync: true, chatTimestamps: false },
    version: 2,
  })
  const read = await app.inject({ url: `/v1/profiles/${userId}`, headers: bearer(world, randomUUID()) })
  t.same(read.json(), res.json(), 'others read the edit')
  t.equal(read.headers.etag, '"2"')
})

t.test('a non-owner PATCH gets 403 forbidden and changes nothing', async (t) => {
  const owner = await newUser('Owner')
  const intruder = randomUUID()
  const res = await patch(intruder, { displayName: 'Hacked' }, {}, `/v1/profiles/${owner}`)
  t.equal(res.statusCode, 403)
  t.same(res.json(), { error: { code: 'forbidden', message: 'only the owner of a profile can edit it' } })
  const read = await app.inject({ url: `/v1/profiles/${owner}`, headers: bearer(world, intruder) })
  t.equal(read.json().displayName, 'Owner')

  const own = await patch(owner, { bio: 'mine' }, {}, `/v1/profiles/${owner}`)
  t.equal(own.statusCode, 200, 'PATCH /v1/profiles/<own id> works like /me')
  t.equal(own.json().bio, 'mine')
})

t.test('If-Match: a stale version gets 412, the current one applies', async (t) => {
  const userId = await newUser()
  const first = await patch(userId, { bio: 'tab one' }, { 'if-match': '"1"' })
  t.equal(first.statusCode, 200)
  t.equal(first.headers.etag, '"2"')

  const stale = await patch(userId, { bio: 'tab two' }, { 'if-match': '"1"' })
  t.equal(stale.statusCode, 412)
  t.equal(stale.json().error.code, 'precondition_failed')
  t.equal(stale.headers.etag, '"2"', 'the 412 names the current version')

  const weak = await patch(userId, { bio: 'weak' }, { 'if-match': 'W/"2"' })
  t.equal(weak.statusCode, 412, 'a weak ETag never matches')

  const any = await patch(userId, { bio: 'any' }, { 'if-match': '*' })
  t.equal(any.statusCode, 200, 'If-Match: * accepts any version')

  const read = await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId) })
  t.equal(read.json().bio, 'any')
  t.equal(read.json().version, 3)
})

t.test('two tabs saving from the same version: one 200, one 412, no silent overwrite', async (t) => {
  const userId = await newUser()
  const results = await Promise.all(
    ['left tab', 'right tab', 'third tab', 'fourth tab'].map((bio) => patch(userId, { bio }, { 'if-match': '"1"' })),
  )
  t.same(results.map((r) => r.statusCode).sort(), [200, 412, 412, 412])
  const winner = results.find((r) => r.statusCode === 200)!.json()
  const read = await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId) })
  t.equal(read.json().bio, winner.bio)
  t.equal(read.json().version, 2)
})

t.test('without If-Match the named fields are set (documented: last writer wins per field)', async (t) => {
  const userId = await newUser()
  const results = await Promise.all([patch(userId, { bio: 'from a' }), patch(userId, { avatarColor: '#2c7a7b' })])
  t.same(results.map((r) => r.statusCode), [200, 200])
  const read = (await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId) })).json()
  t.match(read, { bio: 'from a', avatarColor: '#2c7a7b', version: 3 }, 'both edits kept')
})

t.test('each bad field gets 400 with the error shape', async (t) => {
  const userId = await newUser()
  const cases: Array<[string, unknown, RegExp]> = [
    ['displayName too long', { displayName: 'x'.repeat(41) }, /^displayName must be 1 to 40/],
    ['displayName blank', { displayName: '   ' }, /^displayName must be 1 to 40/],
    ['displayName control character', { displayName: 'a\u0007b' }, /^displayName must not contain control characters/],
    ['displayName not a string', { displayName: 7 }, /^displayName must be a string/],
    ['bio too long', { bio: 'b'.repeat(281) }, /^bio must be at most 280/],
    ['avatarColor not hex', { avatarColor: 'blue' }, /^avatarColor must be a colour/],
    ['avatarColor short form', { avatarColor: '#abc' }, /^avatarColor must be a colour/],
    ['unknown preference', { preferences: { theme: 'dark' } }, /^unknown field preferences\.theme/],
    ['preference not boolean', { preferences: { autoSync: 1 } }, /^preferences\.autoSync must be true or false/],
    ['unknown field', { displayName: 'ok', isAdmin: true }, /^unknown field isAdmin/],
    ['version is not writable', { version: 99 }, /^unknown field version/],
    ['nothing to change', {}, /^send at least one of/],
    ['not an object', [1, 2], /^the body must be a JSON object/],
  ]
  for (const [why, body, message] of cases) {
    const res = await patch(userId, body)
    t.equal(res.statusCode, 400, why)
    t.match(res.json(), { error: { code: 'validation_failed', message } }, why)
    t.same(Object.keys(res.json().error).sort(), ['code', 'message'], `${why}: exactly code and message`)
  }
  const notJson = await app.inject({
    method: 'PATCH',
    url: '/v1/profiles/me',
    headers: { ...bearer(world, userId), 'content-type': 'application/json' },
    payload: '{"displayName":',
  })
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.json().error.code, 'invalid_json')
  const read = (await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId) })).json()
  t.equal(read.version, 1, 'no rejected edit was written')
})

t.test('each edit publishes profile.updated to JetStream', async (t) => {
  const userId = await newUser()
  const res = await patch(userId, { displayName: 'Published Name', avatarColor: '#276749' })
  t.equal(res.statusCode, 200)
  const jsm = await world.nc.jetstreamManager()
  const stored = await jsm.streams.getMessage(world.topology.profilesStream, { last_by_subj: world.topology.profileUpdated })
  const event = JSONCodec<ProfileUpdated>().decode(stored.data)
  t.same(event, {
    type: 'profile.updated',
    eventId: `profile-${userId}-v2`,
    userId,
    displayName: 'Published Name',
    avatarColor: '#276749',
    at: Date.parse(res.json().updatedAt),
  })
  t.equal(stored.header?.get('Nats-Msg-Id'), event.eventId, 'msgID = eventId')
})
