import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import type { SessionResponse } from '@tandem/contracts'
import { api, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { inviteOf, joinWith, NOT_FOUND, startRoom } from '../fixtures/rooms.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const MALLORY = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const server = await startSessionApp(t, world)
const { baseUrl } = server

/** Every route that names a session, as a stranger would call it. */
function routes(id: string): Array<[string, string, unknown]> {
  return [
    ['GET', `/v1/sessions/${id}`, undefined],
    ['PATCH', `/v1/sessions/${id}`, { visibility: 'public' }],
    ['POST', `/v1/sessions/${id}/join`, undefined],
    ['POST', `/v1/sessions/${id}/join`, {}],
    ['POST', `/v1/sessions/${id}/leave`, undefined],
    ['POST', `/v1/sessions/${id}/end`, undefined],
    ['GET', `/v1/sessions/${id}/invite`, undefined],
    ['POST', `/v1/sessions/${id}/invite`, undefined],
    ['POST', `/v1/sessions/${id}/invite`, { expiresInMinutes: 5 }],
  ]
}

async function assertStranger(t: Test, id: string, who: string, what: string) {
  for (const [method, path, body] of routes(id)) {
    t.same(await api(baseUrl, method, path, token(who), body), NOT_FOUND, `${what}: ${method} ${path.replace(id, ':id')}${body ? ' ' + JSON.stringify(body) : ''}`)
  }
}

t.test('a stranger of a private session gets what an unknown id gets, on every route', async (t) => {
  await assertStranger(t, randomUUID(), MALLORY, 'unknown id')
  const id = await startRoom(baseUrl, token(HOST))
  await assertStranger(t, id, MALLORY, 'private session')
  const state = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))
  t.same([state.body.members, state.body.revision], [[HOST], 0], 'nothing the stranger did changed the session')
})

t.test('members keep access; a member who left is a stranger again', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  const { token: invite } = await inviteOf(baseUrl, id, token(HOST))
  t.equal((await joinWith(baseUrl, id, token(ALICE), invite)).status, 200)
  const seen = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(ALICE))
  t.same([seen.status, seen.body.members], [200, [HOST, ALICE]])
  t.same((await joinWith(baseUrl, id, token(ALICE))).body, { revision: 1 }, 'a member joins again without the link: nothing changes')
  t.same((await joinWith(baseUrl, id, token(HOST))).body, { revision: 1 }, 'the host needs no link')

  t.equal((await api(baseUrl, 'POST', `/v1/sessions/${id}/leave`, token(ALICE))).status, 200)
  await assertStranger(t, id, ALICE, 'after leaving')
})

t.test('an ended private session stays visible to its members only', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  await joinWith(baseUrl, id, token(ALICE), (await inviteOf(baseUrl, id, token(HOST))).token)
  t.equal((await api(baseUrl, 'POST', `/v1/sessions/${id}/end`, token(HOST))).status, 200)
  for (const member of [HOST, ALICE]) {
    const got = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(member))
    t.same([got.status, got.body.status, got.body.visibility], [200, 'ended', 'private'])
  }
  await assertStranger(t, id, MALLORY, 'ended')
})

t.test('a public session is seen and joined by anyone, no link needed', async (t) => {
  const id = await startRoom(baseUrl, token(HOST), 'public')
  const got = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(MALLORY))
  t.same([got.status, got.body.visibility], [200, 'public'])
  t.same(await joinWith(baseUrl, id, token(MALLORY)), { status: 200, body: { revision: 1 } })
  const garbled = await joinWith(baseUrl, id, token(ALICE), 'not-a-real-token-at-all-but-url-safe')
  t.same(garbled, { status: 200, body: { revision: 2 } }, 'a link is not needed, so a bad one does not matter')
})

t.test('a session that turns private hides from those who are not members', async (t) => {
  const id = await startRoom(baseUrl, token(HOST), 'public')
  t.equal((await api(baseUrl, 'GET', `/v1/sessions/${id}`, token(MALLORY))).status, 200)
  t.equal((await api(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), { visibility: 'private' })).status, 200)
  await assertStranger(t, id, MALLORY, 'turned private')
})
