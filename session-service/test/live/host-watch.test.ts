import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SYSTEM_ACTOR } from '@tandem/contracts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { api, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { chatArrived, hostChanges, nextHostChange, publicSession } from '../fixtures/host-changes.ts'

const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)
const HOST_GONE_MS = 600
const server = await startSessionApp(t, world, { env: { HOST_GONE_MS: String(HOST_GONE_MS) } })

/** A host and two members, all on sockets, the members connected in this order. */
async function roomOfThree() {
  const [host, alice, bob] = [randomUUID(), randomUUID(), randomUUID()]
  const id = await publicSession(server.baseUrl, token(host), [{ token: token(alice) }, { token: token(bob) }])
  const hostSocket = (await TestSocket.join(server.wsUrl(id), token(host))).socket
  const aliceSocket = (await TestSocket.join(server.wsUrl(id), token(alice))).socket
  const bobSocket = (await TestSocket.join(server.wsUrl(id), token(bob))).socket
  t.teardown(() => Promise.all([hostSocket.close(), aliceSocket.close(), bobSocket.close()]))
  return { id, host, alice, bob, hostSocket, aliceSocket, bobSocket }
}

t.test('a host gone for HOST_GONE_MS hands control to the longest-present member', async (t) => {
  const room = await roomOfThree()
  const started = performance.now()
  await room.hostSocket.close()

  const [seenByAlice, seenByBob] = await Promise.all([nextHostChange(room.aliceSocket), nextHostChange(room.bobSocket)])
  const tookMs = performance.now() - started
  t.same(seenByAlice.event.data, { hostId: room.alice, reason: 'host_gone' }, 'alice, present before bob, takes control')
  t.equal(seenByAlice.event.by, SYSTEM_ACTOR)
  t.same(seenByBob.event, seenByAlice.event, 'bob sees the same event')
  t.ok(tookMs >= HOST_GONE_MS - 50, `not before the host was gone for HOST_GONE_MS (${tookMs.toFixed(0)} ms)`)
  t.comment(`host gone → HostChanged after ${tookMs.toFixed(0)} ms (HOST_GONE_MS ${HOST_GONE_MS})`)

  const state = await api<{ hostId: string; members: string[] }>(server.baseUrl, 'GET', `/v1/sessions/${room.id}`, token(room.bob))
  t.equal(state.body.hostId, room.alice)
  t.same(state.body.members, [room.host, room.alice, room.bob], 'the old host is still a member')

  // Back, the old host is an ordinary member.
  const back = (await TestSocket.join(server.wsUrl(room.id), token(room.host))).socket
  t.teardown(() => back.close())
  t.match(await back.command({ type: 'play', position: 3 }), { type: 'reject', code: 'not_host' })
  t.match(await room.aliceSocket.command({ type: 'play', position: 3 }), { type: 'ack' }, 'the new host controls playback')
})

t.test('a co-host present is preferred to members present longer', async (t) => {
  const room = await roomOfThree()
  t.match(await room.hostSocket.command({ type: 'coHost', userId: room.bob, coHost: true }), { type: 'ack' })
  await room.hostSocket.close()
  const change = await nextHostChange(room.aliceSocket)
  t.same(change.event.data, { hostId: room.bob, reason: 'host_gone' })
})

t.test('a viewer who is not a member never takes control, however long present', async (t) => {
  const [host, alice] = [randomUUID(), randomUUID()]
  const id = await publicSession(server.baseUrl, token(host), [{ token: token(alice) }])
  const stranger = randomUUID()
  // A viewer of a public session who is not a member cannot take control.
  const watcher = (await TestSocket.join(server.wsUrl(id), token(stranger))).socket
  const hostSocket = (await TestSocket.join(server.wsUrl(id), token(host))).socket
  t.teardown(() => Promise.all([watcher.close(), hostSocket.close()]))
  await hostSocket.close()
  const aliceSocket = (await TestSocket.join(server.wsUrl(id), token(alice))).socket
  t.teardown(() => aliceSocket.close())
  const change = await nextHostChange(aliceSocket)
  t.same(change.event.data, { hostId: alice, reason: 'host_gone' })
  t.same(hostChanges(watcher).map((e) => e.event.data.hostId), [alice], 'one hand-over, to the member')
})

t.test('a host back before the deadline keeps control', async (t) => {
  const room = await roomOfThree()
  // A second session whose host leaves later: its hand-over proves the first one's deadline passed.
  const later = await roomOfThree()

  await room.hostSocket.close()
  await room.aliceSocket.waitFor((m) => m.type === 'presence' && !m.viewers.some((v) => v.userId === room.host), 5000, 'presence without the host')
  const back = (await TestSocket.join(server.wsUrl(room.id), token(room.host))).socket
  t.teardown(() => back.close())
  await later.hostSocket.close()
  await nextHostChange(later.aliceSocket)

  t.match(await room.bobSocket.command({ type: 'chat', text: 'still here?', videoPosition: 0 }), { type: 'ack' })
  const chatAt = await chatArrived(room.aliceSocket, 'still here?')
  t.same(hostChanges(room.aliceSocket), [], 'no HostChanged before a chat sent after the deadline')
  t.ok(chatAt > 0)
  t.match(await back.command({ type: 'play', position: 1 }), { type: 'ack' }, 'the host still controls playback')
})
