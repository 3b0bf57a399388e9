import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { ScrubPreviewMessage } from '@tandem/contracts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { nextHostChange, publicSession } from '../fixtures/host-changes.ts'

const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)
const server = await startSessionApp(t, world)

t.test('handOver and coHost over the socket: ack, the event, and who controls in host mode', async (t) => {
  const [host, alice, bob] = [randomUUID(), randomUUID(), randomUUID()]
  const id = await publicSession(server.baseUrl, token(host), [{ token: token(alice) }, { token: token(bob) }])
  const join = async (user: string) => (await TestSocket.join(server.wsUrl(id), token(user))).socket
  const [hostSocket, aliceSocket, bobSocket] = [await join(host), await join(alice), await join(bob)]
  t.teardown(() => Promise.all([hostSocket.close(), aliceSocket.close(), bobSocket.close()]))

  t.match(await aliceSocket.command({ type: 'handOver', userId: bob }), { type: 'reject', code: 'not_host' }, 'only the host hands over')
  t.match(await hostSocket.command({ type: 'handOver', userId: randomUUID() }), { type: 'reject', code: 'invalid_target' }, 'to a member only')

  const handOver = await hostSocket.command({ type: 'handOver', userId: alice })
  t.match(handOver, { type: 'ack' })
  const seen = await nextHostChange(bobSocket)
  t.same(seen.event.data, { hostId: alice, reason: 'handed_over' })
  t.equal(seen.event.by, host)
  t.equal(handOver.type === 'ack' && handOver.revision, seen.revision, 'acknowledged at the revision of the event')

  t.match(await aliceSocket.command({ type: 'play', position: 5 }), { type: 'ack' }, 'the new host controls playback')
  t.match(await hostSocket.command({ type: 'pause', position: 6 }), { type: 'reject', code: 'not_host' }, 'the old host is refused in host mode')
  hostSocket.send({ type: 'scrub', position: 7 })
  t.match(await hostSocket.next('error'), { code: 'not_host' }, 'and may not scrub')
  t.match(await hostSocket.command({ type: 'coHost', userId: bob, coHost: true }), { type: 'reject', code: 'not_host' }, 'nor name co-hosts')

  const named = await aliceSocket.command({ type: 'coHost', userId: bob, coHost: true })
  t.match(named, { type: 'ack' })
  const added = await bobSocket.waitFor((m) => m.type === 'event' && m.event.type === 'CoHostAdded', 5000, 'CoHostAdded')
  t.match(added, { type: 'event', event: { type: 'CoHostAdded', data: { userId: bob }, by: alice } })
  t.match(await bobSocket.command({ type: 'seek', position: 42 }), { type: 'ack' }, 'a co-host controls playback in host mode')
  const at = aliceSocket.received.length - 1
  bobSocket.send({ type: 'scrub', position: 43 })
  const preview = (await aliceSocket.next('scrub', 5000, at)) as ScrubPreviewMessage
  t.same(preview, { type: 'scrub', userId: bob, position: 43 }, 'a co-host may scrub')
  t.notOk(bobSocket.received.some((m) => m.type === 'error'), 'no error for the co-host')

  t.match(await aliceSocket.command({ type: 'coHost', userId: bob, coHost: false }), { type: 'ack' })
  await bobSocket.waitFor((m) => m.type === 'event' && m.event.type === 'CoHostRemoved', 5000, 'CoHostRemoved')
  t.match(await bobSocket.command({ type: 'play', position: 44 }), { type: 'reject', code: 'not_host' }, 'no longer a co-host')
})
