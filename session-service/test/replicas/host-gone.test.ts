import t from 'tap'
import type { Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { decodeSessionEvent, sessionStream } from '../../src/stream/session-stream.ts'
import { api, createWorld, startSessionApp, type RunningSessionApp } from '../fixtures/session-app.ts'
import { chatArrived, hostChanges, nextHostChange, publicSession } from '../fixtures/host-changes.ts'

const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)
const env = { HOST_GONE_MS: '500' }
const a = await startSessionApp(t, world, { replicaId: 'replica-a', env })
const b = await startSessionApp(t, world, { replicaId: 'replica-b', env })

const store = await openEventStore(world.database.url, { poolSize: 2 })
t.teardown(() => store.close())

async function connect(t: Test, replica: RunningSessionApp, id: string, user: string) {
  const { socket } = await TestSocket.join(replica.wsUrl(id), token(user))
  t.teardown(() => socket.close())
  return socket
}

async function storedEventTypes(id: string): Promise<string[]> {
  const stored = await store.events.read(sessionStream(id), 'start', { maxCount: 1000 })
  return stored.map((e) => decodeSessionEvent(e).event.type)
}

t.test('the host drops off one replica with members on both: exactly one HostChanged', async (t) => {
  const [host, alice, bob] = [randomUUID(), randomUUID(), randomUUID()]
  const id = await publicSession(a.baseUrl, token(host), [{ token: token(alice) }, { token: token(bob), via: b.baseUrl }])
  const hostSocket = await connect(t, a, id, host)
  const aliceOnA = await connect(t, a, id, alice)
  const bobOnB = await connect(t, b, id, bob)
  // B knows who is on A before the host leaves.
  await bobOnB.waitFor((m) => m.type === 'presence' && m.total === 3, 5000, 'presence of all three on B')

  await hostSocket.close()
  const [onA, onB] = await Promise.all([nextHostChange(aliceOnA), nextHostChange(bobOnB)])
  t.same(onA.event.data, { hostId: alice, reason: 'host_gone' }, 'alice, present longest, on the other replica than bob')
  t.same(onB.event, onA.event)

  // A chat through each replica is decided after any hand-over it had in line, so once both are
  // acknowledged neither replica has one left to append.
  t.match(await aliceOnA.command({ type: 'chat', text: 'from A', videoPosition: 0 }), { type: 'ack' })
  t.match(await bobOnB.command({ type: 'chat', text: 'from B', videoPosition: 0 }), { type: 'ack' })
  await Promise.all([chatArrived(aliceOnA, 'from B'), chatArrived(bobOnB, 'from A')])
  t.equal(hostChanges(aliceOnA).length, 1, 'one HostChanged frame on A')
  t.equal(hostChanges(bobOnB).length, 1, 'one HostChanged frame on B')
  t.equal((await storedEventTypes(id)).filter((type) => type === 'HostChanged').length, 1, 'one HostChanged in the stream')
  const state = await api<{ hostId: string }>(b.baseUrl, 'GET', `/v1/sessions/${id}`, token(bob))
  t.equal(state.body.hostId, alice)
})

t.test('a host on another replica is present: members on a replica newly watching keep them host', async (t) => {
  const [host, alice, bob] = [randomUUID(), randomUUID(), randomUUID()]
  // Created and joined through B, so that A first loads the session when alice connects.
  const id = await publicSession(b.baseUrl, token(host), [{ token: token(alice) }, { token: token(bob) }])
  const hostOnB = await connect(t, b, id, host)
  // B has announced the host (with the presence frame) before A hears of the session.
  await hostOnB.next('presence')
  const aliceOnA = await connect(t, a, id, alice)
  await connect(t, a, id, bob)
  // A session whose host leaves A later: its hand-over proves the first session's deadline on A passed.
  const [otherHost, carol] = [randomUUID(), randomUUID()]
  const other = await publicSession(a.baseUrl, token(otherHost), [{ token: token(carol) }])
  const carolOnA = await connect(t, a, other, carol)
  const otherHostSocket = await connect(t, a, other, otherHost)
  await otherHostSocket.close()
  await nextHostChange(carolOnA)

  t.match(await aliceOnA.command({ type: 'chat', text: 'is the host here?', videoPosition: 0 }), { type: 'ack' })
  await chatArrived(aliceOnA, 'is the host here?')
  t.same(hostChanges(aliceOnA), [], 'no HostChanged')
  t.notOk((await storedEventTypes(id)).includes('HostChanged'))
})
