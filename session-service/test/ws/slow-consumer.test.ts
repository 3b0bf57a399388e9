import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { seedSession } from '../fixtures/seed-session.ts'
import { TestSocket } from '../fixtures/ws-client.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const token = (user: string) => world.issuer.sign(user)

t.test('a client that stops reading is closed (4408) and resumes with since', async (t) => {
  const store = await openEventStore(world.database.url, { poolSize: 2 })
  t.teardown(() => store.close())
  // Chat of 500 two-byte characters: a page of 200 events is about 220 KB.
  const seeded = await seedSession(store, { events: 1_000, hostId: HOST, memberIds: [ALICE], chatText: () => 'é'.repeat(500) })
  const server = await startSessionApp(t, world, { deps: { connectionLimits: { maxBufferedBytes: 256 * 1024, messageBurst: 200 } } })

  const { socket: slow, welcome } = await TestSocket.join(server.wsUrl(seeded.id), token(ALICE))
  t.equal(welcome.revision, 999)
  // Stop reading at the TCP level; keep asking for history (several MB) until the server gives up.
  const tcp = (slow.ws as unknown as { _socket: Socket })._socket
  tcp.pause()
  for (let i = 0; i < 100; i++) slow.send({ type: 'history', limit: 200, before: 1000 - (i % 5) * 200 })

  // Meanwhile the session goes on for everyone else.
  const { socket: host } = await TestSocket.join(server.wsUrl(seeded.id), token(HOST))
  t.teardown(() => host.close())
  await new Promise((r) => setTimeout(r, 500))
  for (let i = 0; i < 3; i++) t.match(await host.command({ type: 'chat', text: `later ${i}`, videoPosition: 0 }), { type: 'ack' })

  tcp.resume()
  const resumedAt = Date.now()
  const closed = await slow.closed
  t.comment(`closed ${Date.now() - resumedAt} ms after reading resumed; received ${slow.received.length} frames`)
  t.equal(closed.code, 4408, 'closed as a slow consumer')
  const lastSeen = Math.max(welcome.revision, ...slow.events().map((e) => e.revision))
  t.ok(lastSeen < 1002, 'it had not received everything')

  const back = await TestSocket.join(server.wsUrl(seeded.id), token(ALICE), lastSeen)
  t.teardown(() => back.socket.close())
  await back.socket.waitForRevision(1002)
  t.same(back.socket.events().map((e) => e.revision), Array.from({ length: 1002 - lastSeen }, (_, i) => lastSeen + 1 + i), 'resumed with exactly what it missed')
})
