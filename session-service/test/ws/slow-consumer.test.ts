import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { HistoryMessage } from '@tandem/contracts'
import { metricSample, waitFor } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { seedSession } from '../fixtures/seed-session.ts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'

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
  t.match(await host.command({ type: 'chat', text: 'meanwhile', videoPosition: 0 }), { type: 'ack' }, 'the host is answered while the slow socket fills up')
  // Pages are read one at a time: wait until the server has given up on the socket (its side
  // is closing) before reading again, or the client would simply catch up.
  await waitFor(() => [...server.app.websocketServer.clients].some((ws) => ws.readyState === ws.CLOSING), 30_000, 'the server to drop the slow socket')
  // What happens after that can only reach the slow client through its resume.
  for (let i = 0; i < 3; i++) t.match(await host.command({ type: 'chat', text: `later ${i}`, videoPosition: 0 }), { type: 'ack' })
  const last = 1003

  tcp.resume()
  const resumedAt = Date.now()
  const closed = await slow.closed
  t.comment(`closed ${Date.now() - resumedAt} ms after reading resumed; received ${slow.received.length} frames`)
  t.equal(closed.code, 4408, 'closed as a slow consumer')
  const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(metricSample(metrics, 'tandem_slow_consumer_closes_total'), 1, 'and counted as one')
  const lastSeen = Math.max(welcome.revision, ...slow.events().map((e) => e.revision))
  t.ok(lastSeen < last, 'it had not received everything')

  const back = await TestSocket.join(server.wsUrl(seeded.id), token(ALICE), lastSeen)
  t.teardown(() => back.socket.close())
  await back.socket.waitForRevision(last)
  t.same(back.socket.events().map((e) => e.revision), Array.from({ length: last - lastSeen }, (_, i) => lastSeen + 1 + i), 'resumed with exactly what it missed')
})

t.test('history pages asked for at once are read one at a time, so they cannot hold up other users’ commands', async (t) => {
  const store = await openEventStore(world.database.url, { poolSize: 4 })
  t.teardown(() => store.close())
  const seeded = await seedSession(store, { events: 300, hostId: HOST, memberIds: [ALICE] })
  // The real store, counting the backward reads (history pages) that run at once.
  let running = 0
  let most = 0
  const read = store.events.read.bind(store.events)
  store.events.read = async (stream, from, options) => {
    const page = options?.direction === 'backwards'
    if (page) most = Math.max(most, ++running)
    try {
      return await read(stream, from, options)
    } finally {
      if (page) running--
    }
  }
  const server = await startSessionApp(t, world, { deps: { eventStore: store } })
  const { socket } = await TestSocket.join(server.wsUrl(seeded.id), token(ALICE))
  t.teardown(() => socket.close())
  for (let i = 0; i < 30; i++) socket.send({ type: 'history', limit: 50, before: 300 - i * 5 })
  await socket.waitFor(() => socket.received.filter((m) => m.type === 'history').length === 30, 10_000, '30 pages')
  t.equal(most, 1, 'one page read at a time')
  const pages = socket.received.filter((m): m is HistoryMessage => m.type === 'history')
  t.same(pages.map((p) => p.events[0]?.revision), Array.from({ length: 30 }, (_, i) => 299 - i * 5), 'answered in the order asked')
})
