import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createWorld, bearer, publishUserRegistered, userRegistered } from '../fixtures/profile-app.ts'
import { waitFor } from '@tandem/service-kit/testing'
import { avatarColorFor } from '../../src/profiles/avatar-color.ts'

const world = await createWorld()
t.teardown(() => world.close())
const app = await world.startApp()

async function registered(displayName: string): Promise<string> {
  const event = userRegistered({ displayName })
  await publishUserRegistered(world.nc, world.topology, event)
  await waitFor(async () => (await app.inject({ url: `/v1/profiles/${event.userId}`, headers: bearer(world, randomUUID()) })).statusCode === 200, 5000, 'the profile')
  return event.userId
}

t.test('every profile route needs a valid access token', async (t) => {
  for (const url of ['/v1/profiles/me', `/v1/profiles/${randomUUID()}`, '/v1/profiles?ids=a']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 401, url)
    t.equal(res.json().error.code, 'unauthenticated')
  }
  const forged = await app.inject({ url: '/v1/profiles/me', headers: { authorization: 'Bearer not.a.token' } })
  t.equal(forged.statusCode, 401)
  t.equal(forged.json().error.code, 'invalid_token')
})

t.test('GET /v1/profiles/:userId returns the profile with its ETag', async (t) => {
  const userId = await registered('Ada Lovelace')
  const res = await app.inject({ url: `/v1/profiles/${userId}`, headers: bearer(world, randomUUID()) })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.etag, '"1"')
  const body = res.json()
  t.match(body, {
    userId,
    displayName: 'Ada Lovelace',
    bio: '',
    avatarColor: avatarColorFor(userId),
    preferences: { autoSync: true, chatTimestamps: true },
    version: 1,
  })
  t.same(Object.keys(body).sort(), ['avatarColor', 'bio', 'displayName', 'preferences', 'updatedAt', 'userId', 'version'])
  t.ok(!Number.isNaN(Date.parse(body.updatedAt)), 'updatedAt is an ISO date')

  const revalidated = await app.inject({ url: `/v1/profiles/${userId}`, headers: { ...bearer(world, userId), 'if-none-match': '"1"' } })
  t.equal(revalidated.statusCode, 304, 'If-None-Match with the current ETag gets 304')
})

t.test('an unknown profile is 404 profile_not_found', async (t) => {
  const res = await app.inject({ url: `/v1/profiles/${randomUUID()}`, headers: bearer(world, randomUUID()) })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error.code, 'profile_not_found')
  const bad = await app.inject({ url: '/v1/profiles/not%20an%20id', headers: bearer(world, randomUUID()) })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error.code, 'validation_failed')
})

t.test('GET /v1/profiles/me gives the default profile even before the event is processed', async (t) => {
  const userId = randomUUID()
  const res = await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId, 'Early Bird') })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { userId, displayName: 'Early Bird', version: 1 })
  t.equal(res.headers.etag, '"1"')
  const again = await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId, 'Another Name') })
  t.equal(again.json().displayName, 'Early Bird', 'created once; a later token name does not replace it')
})

t.test('batch: GET /v1/profiles?ids=a,b,c', async (t) => {
  const a = await registered('Alice')
  const b = await registered('Bob')
  const missing = randomUUID()
  const res = await app.inject({ url: `/v1/profiles?ids=${b},${missing},${a},${b}`, headers: bearer(world, a) })
  t.equal(res.statusCode, 200)
  t.same(
    res.json().profiles.map((p: { userId: string; displayName: string }) => [p.userId, p.displayName]),
    [[b, 'Bob'], [a, 'Alice']],
    'in the order asked, duplicates once, unknown ids left out',
  )
})

t.test('batch limits: at most 100 ids, at least one, well-formed', async (t) => {
  const hundred = Array.from({ length: 100 }, () => randomUUID()).join(',')
  const ok = await app.inject({ url: `/v1/profiles?ids=${hundred}`, headers: bearer(world, randomUUID()) })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { profiles: [] })

  const tooMany = await app.inject({ url: `/v1/profiles?ids=${hundred},${randomUUID()}`, headers: bearer(world, randomUUID()) })
  t.equal(tooMany.statusCode, 400)
  t.equal(tooMany.json().error.code, 'too_many_ids')

  for (const url of ['/v1/profiles?ids=', '/v1/profiles?ids=,,', '/v1/profiles', '/v1/profiles?ids=a,b%2Fc']) {
    const res = await app.inject({ url, headers: bearer(world, randomUUID()) })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().error.code, 'validation_failed', url)
  }
})
