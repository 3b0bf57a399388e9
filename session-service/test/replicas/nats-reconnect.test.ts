import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SessionSocket as TestSocket, startNatsServer, waitFor } from '@tandem/service-kit/testing'
import { createSession, createWorld, startSessionApp, type RunningSessionApp } from '../fixtures/session-app.ts'

/**
 * A session's subscriptions exist whenever it is loaded, NATS permitting: after nats-server
 * restarts (nats.js subscribes again), and when NATS comes up after the session was loaded.
 * The store is never re-read periodically here, so only NATS can bring the events.
 */
const nats = await startNatsServer()
t.teardown(() => nats.destroy())
const world = await createWorld(t)
const HOST = randomUUID()
const token = world.issuer.sign(HOST)
const env = { NATS_URL: nats.url, RESYNC_INTERVAL_MS: '600000' }
const a = await startSessionApp(t, world, { replicaId: 'replica-a', env })
const b = await startSessionApp(t, world, { replicaId: 'replica-b', env })

const ready = async (replica: RunningSessionApp) => (await fetch(`${replica.baseUrl}/readyz`)).status === 200
const allReady = (...replicas: RunningSessionApp[]) => waitFor(async () => (await Promise.all(replicas.map(ready))).every(Boolean), 20_000, 'NATS connected on every replica')
const noneReady = (...replicas: RunningSessionApp[]) => waitFor(async () => !(await Promise.all(replicas.map(ready))).some(Boolean), 20_000, 'every replica to see NATS gone')

await allReady(a, b)
const { id } = await createSession(a.baseUrl, token)
const writer = (await TestSocket.join(a.wsUrl(id), token)).socket
t.teardown(() => writer.close())

async function chat(text: string): Promise<number> {
  const ack = await writer.command({ type: 'chat', text, videoPosition: 0 })
  if (ack.type !== 'ack') throw new Error(`refused: ${JSON.stringify(ack)}`)
  return ack.revision
}

t.test('after nats-server restarts, events reach the other replica again', async (t) => {
  const viewer = (await TestSocket.join(b.wsUrl(id), token)).socket
  t.teardown(() => viewer.close())
  await viewer.waitForRevision(await chat('before'))

  await nats.stop()
  await noneReady(a, b)
  await nats.start()
  await allReady(a, b)
  const before = b.app.sessionHub.natsStats().messagesReceived.events
  await viewer.waitForRevision(await chat('after the restart'), 10_000)
  t.ok(b.app.sessionHub.natsStats().messagesReceived.events > before, 'B received it over NATS')
})

t.test('a session loaded while NATS was down is subscribed once NATS is there', async (t) => {
  await nats.stop()
  await noneReady(a, b)
  const c = await startSessionApp(t, world, { replicaId: 'replica-c', env })
  const viewer = await TestSocket.join(c.wsUrl(id), token)
  t.teardown(() => viewer.socket.close())
  t.equal(c.app.sessionHub.natsStats().subscribedSessions, 0, 'no NATS, no subscription')

  await nats.start()
  await allReady(a, b, c)
  await waitFor(() => c.app.sessionHub.natsStats().subscribedSessions === 1, 10_000, 'C to subscribe to the session it has loaded')
  await viewer.socket.waitForRevision(await chat('after NATS came'), 10_000)
  t.ok(c.app.sessionHub.natsStats().messagesReceived.events > 0, 'C received it over NATS')
})
