import t from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { bearer, createWorld } from '../fixtures/profile-app.ts'
import { tokenAttacks, validToken, type SigningKey } from '@tandem/service-kit/testing/abuse'

const world = await createWorld()
t.teardown(() => world.close())
const app = await world.startApp()
const key: SigningKey = {
  privateKeyPem: world.issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  publicKeyPem: world.issuer.publicKeyPem,
  kid: world.issuer.kid,
  issuer: world.issuer.issuer,
}
const ann = randomUUID()
const bob = randomUUID()
for (const user of [ann, bob]) await app.inject({ url: '/v1/profiles/me', headers: bearer(world, user) })

const db = new pg.Client({ connectionString: world.db.url })
await db.connect()
t.teardown(() => db.end())
const profilesState = async () => JSON.stringify((await db.query('SELECT user_id, version, doc FROM profiles ORDER BY user_id')).rows)

const routes = [
  ['GET', '/v1/profiles/me'],
  ['GET', `/v1/profiles/${bob}`],
  ['GET', `/v1/profiles?ids=${bob}`],
  ['PATCH', '/v1/profiles/me'],
  ['PATCH', `/v1/profiles/${bob}`],
] as const

function call(method: 'GET' | 'PATCH', url: string, headers: Record<string, string>) {
  return app.inject({ method, url, headers, ...(method === 'PATCH' ? { payload: { bio: 'pwned' } } : {}) })
}

t.test('every route refuses forged, expired, premature and misdirected tokens, and a missing one', async (t) => {
  const before = await profilesState()
  const mallory = randomUUID()
  t.equal((await call('GET', '/v1/profiles/me', { authorization: `Bearer ${validToken(key, ann)}` })).statusCode, 200, 'control: a real token passes')
  const attacks = tokenAttacks(key, mallory)
  let refused = 0
  for (const [method, url] of routes) {
    const none = await call(method, url, {})
    t.equal(none.statusCode, 401, `${method} ${url} without a token`)
    t.equal(none.json().error.code, 'unauthenticated')
    for (const { attack, token, code } of attacks) {
      const res = await call(method, url, { authorization: `Bearer ${token}` })
      t.equal(res.statusCode, 401, `${method} ${url}: ${attack}`)
      t.equal(res.json().error?.code, code, `${method} ${url}: ${attack}`)
      if (res.statusCode === 401) refused++
    }
  }
  t.equal(await profilesState(), before, 'no profile was created or changed')
  t.comment(`token attacks on profile-service: ${attacks.length} attacks × ${routes.length} routes = ${attacks.length * routes.length}, ${refused} refused with 401, profiles changed: 0`)
})

t.test("a valid token for Ann cannot edit Bob's profile", async (t) => {
  const before = await profilesState()
  const asAnn = bearer(world, ann, 'Ann')
  for (const headers of [asAnn, { ...asAnn, 'if-match': '*' }, { ...asAnn, 'if-match': '"1"' }]) {
    const res = await app.inject({ method: 'PATCH', url: `/v1/profiles/${bob}`, headers, payload: { displayName: 'Bob was here' } })
    t.equal(res.statusCode, 403)
    t.same(res.json(), { error: { code: 'forbidden', message: 'only the owner of a profile can edit it' } })
  }
  const upper = await app.inject({ method: 'PATCH', url: `/v1/profiles/${bob.toUpperCase()}`, headers: asAnn, payload: { bio: 'x' } })
  t.equal(upper.statusCode, 403, "Bob's id in upper case is still not Ann's")
  t.equal(await profilesState(), before, "Bob's profile is unchanged")
  const own = await app.inject({ method: 'PATCH', url: `/v1/profiles/${ann}`, headers: asAnn, payload: { bio: 'mine' } })
  t.equal(own.statusCode, 200, 'control: Ann edits her own')
  t.comment("cross-user edits on profile-service: 4 attempts on Bob's profile, 4 refused with 403, Bob's version unchanged")
})
