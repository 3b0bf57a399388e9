import t from 'tap'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import type { InviteResponse, SessionResponse } from '@tandem/contracts'
import { api, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { inviteOf, joinWith, NOT_FOUND, startRoom } from '../fixtures/rooms.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const BOB = randomUUID()
const MALLORY = randomUUID()
const token = (user: string) => world.issuer.sign(user)
/** The server's clock runs this far ahead of the real one: tests move it to expire links. */
let clockAhead = 0
const server = await startSessionApp(t, world, { deps: { now: () => Date.now() + clockAhead } })
const { baseUrl } = server
const INVITE_INVALID = { status: 404, body: { error: { code: 'invite_invalid', message: 'this invite link is no longer valid; ask the host for a new one' } } }

t.test('with the link a stranger joins; without it or with a forged one they do not', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  const invite = await inviteOf(baseUrl, id, token(HOST))
  t.match(invite, { token: /^[A-Za-z0-9_-]{44}$/, expiresAt: null })
  t.equal(invite.path, `/sessions/${id}?invite=${invite.token}`)

  t.same(await joinWith(baseUrl, id, token(ALICE)), NOT_FOUND, 'no link')
  const inviteId = invite.token.slice(0, 22)
  const mac = invite.token.slice(22)
  const forged = inviteId + (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1)
  t.same(await joinWith(baseUrl, id, token(ALICE), forged), INVITE_INVALID, 'right invite id, wrong MAC')
  t.same(await joinWith(baseUrl, id, token(ALICE), 'garbled'), INVITE_INVALID, 'garbled')
  const otherId = await startRoom(baseUrl, token(HOST))
  const otherLink = await inviteOf(baseUrl, otherId, token(HOST))
  t.same(await joinWith(baseUrl, id, token(ALICE), otherLink.token), INVITE_INVALID, 'the link of another session')
  t.same(await joinWith(baseUrl, randomUUID(), token(ALICE), invite.token), INVITE_INVALID, 'an unknown session: the same answer')

  t.same(await joinWith(baseUrl, id, token(ALICE), invite.token), { status: 200, body: { revision: 1 } })
  const state = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(ALICE))
  t.same(state.body.members, [HOST, ALICE])
  t.same(await joinWith(baseUrl, id, token(ALICE), forged), { status: 200, body: { revision: 1 } }, 'a member needs no link, so a bad one does not matter')
  const badShape = await joinWith(baseUrl, id, token(BOB), 'not url-safe!')
  t.same([badShape.status, badShape.body.error?.code], [400, 'validation_failed'])
})

t.test('a reset revokes the old link; the new one works', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  const old = await inviteOf(baseUrl, id, token(HOST))
  const reset = await api<InviteResponse>(baseUrl, 'POST', `/v1/sessions/${id}/invite`, token(HOST))
  t.equal(reset.status, 200)
  t.not(reset.body.token, old.token)
  t.same(reset.body, await inviteOf(baseUrl, id, token(HOST)), 'GET answers the new link')
  t.same(await joinWith(baseUrl, id, token(ALICE), old.token), INVITE_INVALID)
  t.equal((await joinWith(baseUrl, id, token(ALICE), reset.body.token)).status, 200)
})

t.test('an expiring link works until its time, then fails', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  const before = Date.now() + clockAhead
  const reset = await api<InviteResponse>(baseUrl, 'POST', `/v1/sessions/${id}/invite`, token(HOST), { expiresInMinutes: 60 })
  t.ok(reset.body.expiresAt! >= before + 3_600_000 && reset.body.expiresAt! <= Date.now() + clockAhead + 3_600_000)
  t.equal((await joinWith(baseUrl, id, token(ALICE), reset.body.token)).status, 200, 'before it expires')
  clockAhead += 3_600_000
  t.teardown(() => (clockAhead = 0))
  t.same(await joinWith(baseUrl, id, token(BOB), reset.body.token), INVITE_INVALID, 'an hour later')
  t.same((await inviteOf(baseUrl, id, token(HOST))).expiresAt, reset.body.expiresAt, 'GET still shows it, with its time past')
  for (const body of [{ expiresInMinutes: 0 }, { expiresInMinutes: 1.5 }, { expiresInMinutes: 'soon' }, { never: true }]) {
    const bad = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${id}/invite`, token(HOST), body)
    t.same([bad.status, bad.body.error.code], [400, 'validation_failed'], JSON.stringify(body))
  }
})

t.test('who may see and reset the link', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  const link = await inviteOf(baseUrl, id, token(HOST))
  await joinWith(baseUrl, id, token(ALICE), link.token)
  const refused = { status: 403, body: { error: { code: 'not_host', message: 'only the host and co-hosts share the invite link of this session' } } }
  t.same(await api(baseUrl, 'GET', `/v1/sessions/${id}/invite`, token(ALICE)), refused, 'a member, while the host does not allow it')
  const notHost = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${id}/invite`, token(ALICE))
  t.same([notHost.status, notHost.body.error.code], [403, 'not_host'], 'only the host resets')
  t.same(await api(baseUrl, 'GET', `/v1/sessions/${id}/invite`, token(MALLORY)), NOT_FOUND)

  t.equal((await api(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), { membersMayInvite: true })).status, 200)
  t.same(await inviteOf(baseUrl, id, token(ALICE)), link, 'members may share it once the host allows')

  // co-hosts share it whatever the policy
  t.equal((await api(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), { membersMayInvite: false })).status, 200)
  const { socket } = await TestSocket.join(server.wsUrl(id), token(HOST))
  t.teardown(() => socket.close())
  t.match(await socket.command({ type: 'coHost', userId: ALICE, coHost: true }), { type: 'ack' })
  t.same(await inviteOf(baseUrl, id, token(ALICE)), link, 'a co-host')

  const publicId = await startRoom(baseUrl, token(HOST), 'public')
  const stranger = await api<{ error: { code: string } }>(baseUrl, 'GET', `/v1/sessions/${publicId}/invite`, token(MALLORY))
  t.same([stranger.status, stranger.body.error.code], [403, 'not_member'], 'a public session seen by a non-member')
  await api(baseUrl, 'POST', `/v1/sessions/${publicId}/end`, token(HOST))
  const ended = await api<{ error: { code: string } }>(baseUrl, 'GET', `/v1/sessions/${publicId}/invite`, token(HOST))
  t.same([ended.status, ended.body.error.code], [409, 'session_ended'])
})

t.test('PATCH: the host changes the settings; others are refused', async (t) => {
  const id = await startRoom(baseUrl, token(HOST))
  await joinWith(baseUrl, id, token(ALICE), (await inviteOf(baseUrl, id, token(HOST))).token)
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())

  const byMember = await api<{ error: { code: string } }>(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(ALICE), { visibility: 'public' })
  t.same([byMember.status, byMember.body.error.code], [403, 'not_host'])
  for (const body of [{}, { visibility: 'secret' }, { title: 'x' }, undefined]) {
    const bad = await api<{ error: { code: string } }>(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), body)
    t.same([bad.status, bad.body.error.code], [400, 'validation_failed'], JSON.stringify(body) ?? 'no body')
  }

  const changed = await api<{ revision: number }>(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), { visibility: 'public', membersMayInvite: true })
  t.same(changed, { status: 200, body: { revision: 3 } })
  const events = await socket.waitForRevision(3)
  t.match(
    socket.events().map((e) => [e.revision, e.event.type, e.event.data]),
    [[2, 'VisibilityChanged', { visibility: 'public' }], [3, 'InvitePolicyChanged', { membersMayInvite: true }]],
  )
  t.equal(events.event.by, HOST)
  t.same(await api(baseUrl, 'PATCH', `/v1/sessions/${id}`, token(HOST), { visibility: 'public' }), { status: 200, body: { revision: 3 } }, 'no change, no event')
  t.match((await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, token(MALLORY))).body, { visibility: 'public', membersMayInvite: true })
})

t.test('join takes no body, an empty object, or an invite', async (t) => {
  const id = await startRoom(baseUrl, token(HOST), 'public')
  t.same(await api(baseUrl, 'POST', `/v1/sessions/${id}/join`, token(ALICE)), { status: 200, body: { revision: 1 } })
  t.same(await api(baseUrl, 'POST', `/v1/sessions/${id}/join`, token(BOB), {}), { status: 200, body: { revision: 2 } })
  const extra = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${id}/join`, token(MALLORY), { invite: 'abc', as: 'host' })
  t.same([extra.status, extra.body.error.code], [400, 'validation_failed'])
})

t.test('two replicas with the same INVITE_SECRET accept each other\'s links', async (t) => {
  const other = await startSessionApp(t, world)
  const id = await startRoom(baseUrl, token(HOST))
  const link = await inviteOf(baseUrl, id, token(HOST))
  t.same(await inviteOf(other.baseUrl, id, token(HOST)), link, 'both make the same link')
  t.equal((await joinWith(other.baseUrl, id, token(ALICE), link.token)).status, 200)

  const stranger = await startSessionApp(t, world, { env: { INVITE_SECRET: 'a different secret, thirty-two characters or more' } })
  t.same(await joinWith(stranger.baseUrl, id, token(BOB), link.token), INVITE_INVALID, 'a replica with another key refuses them')
})

t.test('replicas reading one INVITE_SECRET_FILE share the key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-secrets-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const env = { INVITE_SECRET: '', INVITE_SECRET_FILE: join(dir, 'invite-secret') }
  const [a, b] = await Promise.all([startSessionApp(t, world, { env }), startSessionApp(t, world, { env })])
  const id = await startRoom(a.baseUrl, token(HOST))
  const link = await inviteOf(a.baseUrl, id, token(HOST))
  t.equal((await joinWith(b.baseUrl, id, token(ALICE), link.token)).status, 200)
  t.same(await joinWith(baseUrl, id, token(BOB), link.token), INVITE_INVALID, 'the replicas with INVITE_SECRET use another key')
})

t.test('a short INVITE_SECRET is a configuration error', async (t) => {
  await t.rejects(startSessionApp(t, world, { env: { INVITE_SECRET: 'too short' } }), { name: 'ConfigError', message: /INVITE_SECRET/ })
})

t.test('the invite and settings routes count against the per-user budgets', async (t) => {
  const limited = await startSessionApp(t, world, { env: { RATE_LIMIT_MEMBERSHIP: '3', RATE_LIMIT_READS: '2' } })
  const id = await startRoom(limited.baseUrl, token(HOST))
  const statuses = async (method: string, path: string, body?: unknown) => (await api(limited.baseUrl, method, path, token(HOST), body)).status
  const changes = [
    await statuses('PATCH', `/v1/sessions/${id}`, { membersMayInvite: true }),
    await statuses('POST', `/v1/sessions/${id}/invite`),
    await statuses('PATCH', `/v1/sessions/${id}`, { membersMayInvite: false }),
    await statuses('POST', `/v1/sessions/${id}/invite`),
  ]
  t.same(changes, [200, 200, 200, 429], 'PATCH and reset share the membership budget')
  const reads = [await statuses('GET', `/v1/sessions/${id}/invite`), await statuses('GET', `/v1/sessions/${id}`), await statuses('GET', `/v1/sessions/${id}/invite`)]
  t.same(reads, [200, 200, 429], 'showing the link is a read')
})

t.test('the invite id is never answered outside a token', async (t) => {
  const created = await api<Record<string, unknown>>(baseUrl, 'POST', '/v1/sessions', token(HOST), { title: 'x', videoUrl: 'https://x.example/v' })
  const id = created.body.id as string
  const link = await inviteOf(baseUrl, id, token(HOST))
  const state = await api(baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))
  const { socket, welcome } = await TestSocket.join(server.wsUrl(id), token(HOST))
  await socket.close()
  const inviteId = link.token.slice(0, 22)
  for (const [what, body] of Object.entries({ created, state, welcome })) t.notOk(JSON.stringify(body).includes(inviteId), what)
})
