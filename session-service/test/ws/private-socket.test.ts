import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import type { ServerMessage } from '@tandem/contracts'
import { api, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { inviteOf, joinWith, startRoom } from '../fixtures/rooms.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const MALLORY = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const a = await startSessionApp(t, world, { replicaId: 'replica-a' })
const b = await startSessionApp(t, world, { replicaId: 'replica-b' })

/** Says hello as `user` and answers every frame received until the server closed the socket. */
async function refusedHello(url: string, user: string): Promise<{ code: number; received: ServerMessage[] }> {
  const socket = await TestSocket.open(url)
  socket.send({ type: 'hello', token: token(user) })
  const { code } = await socket.closed
  return { code, received: socket.received }
}

const NOT_FOUND = { code: 4404, received: [{ type: 'error', code: 'session_not_found', message: 'no such session' }] }

t.test('a stranger of a private session is answered as for an unknown id: no welcome, no history, 4404', async (t) => {
  t.same(await refusedHello(a.wsUrl(randomUUID()), MALLORY), NOT_FOUND, 'unknown id')
  const id = await startRoom(a.baseUrl, token(HOST))
  t.same(await refusedHello(a.wsUrl(id), MALLORY), NOT_FOUND, 'private session, room not loaded')
  const { socket } = await TestSocket.join(a.wsUrl(id), token(HOST))
  t.teardown(() => socket.close())
  t.same(await refusedHello(a.wsUrl(id), MALLORY), NOT_FOUND, 'private session, room live on this replica')
})

t.test('joined with the link on one replica, the socket on another (with its room live) lets them in', async (t) => {
  const id = await startRoom(a.baseUrl, token(HOST))
  const { socket: hostSocket } = await TestSocket.join(b.wsUrl(id), token(HOST))
  t.teardown(() => hostSocket.close())
  const { token: invite } = await inviteOf(a.baseUrl, id, token(HOST))
  t.same((await joinWith(a.baseUrl, id, token(ALICE), invite)).body, { revision: 1 })
  const { socket, welcome } = await TestSocket.join(b.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  t.same(welcome.state.members, [HOST, ALICE])
})

t.test('an ended private session: state and history for members, 4404 for strangers', async (t) => {
  const id = await startRoom(a.baseUrl, token(HOST))
  await joinWith(a.baseUrl, id, token(ALICE), (await inviteOf(a.baseUrl, id, token(HOST))).token)
  const { socket: hostSocket } = await TestSocket.join(a.wsUrl(id), token(HOST))
  t.match(await hostSocket.command({ type: 'chat', text: 'see you', videoPosition: 3 }), { type: 'ack' })
  await hostSocket.close()
  await api(a.baseUrl, 'POST', `/v1/sessions/${id}/end`, token(HOST))

  const { socket, welcome } = await TestSocket.join(b.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  t.equal(welcome.state.status, 'ended')
  socket.send({ type: 'history', limit: 10 })
  const page = await socket.next('history')
  t.same(page.events.map((e) => e.event.type), ['SessionEnded', 'ChatMessagePosted', 'ViewerJoined', 'SessionCreated'], 'newest first')
  t.same(await refusedHello(b.wsUrl(id), MALLORY), NOT_FOUND)
})

t.test('losing access closes an open socket after the event that takes it away', async (t) => {
  const id = await startRoom(a.baseUrl, token(HOST))
  await joinWith(a.baseUrl, id, token(ALICE), (await inviteOf(a.baseUrl, id, token(HOST))).token)
  const { socket: alice } = await TestSocket.join(b.wsUrl(id), token(ALICE))
  const { socket: host } = await TestSocket.join(b.wsUrl(id), token(HOST))
  t.teardown(() => host.close())
  t.match(await alice.command({ type: 'leave' }), { type: 'ack' })
  t.equal((await alice.closed).code, 4404, 'a member who left a private session')
  t.match(alice.received.slice(-3), [{ type: 'event', event: { type: 'ViewerLeft' } }, { type: 'ack' }, { type: 'error', code: 'session_not_found' }])
  t.ok(host.isOpen, 'the host stays')

  const publicId = await startRoom(a.baseUrl, token(HOST), 'public')
  const { socket: watcher } = await TestSocket.join(b.wsUrl(publicId), token(MALLORY))
  t.equal((await api(a.baseUrl, 'PATCH', `/v1/sessions/${publicId}`, token(HOST), { visibility: 'private' })).status, 200)
  t.equal((await watcher.closed).code, 4404, 'a non-member watching a session that turned private')
})
