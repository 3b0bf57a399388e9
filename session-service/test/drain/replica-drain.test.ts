import t from 'tap'
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { SESSION_SOCKET_CLOSE } from '@tandem/contracts'
import { SessionSocket as TestSocket, waitFor } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { sessionStream } from '../../src/stream/session-stream.ts'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const token = (user: string) => world.issuer.sign(user)
// commands as fast as a test likes
const deps = { connectionLimits: { commandBurst: 10_000, commandsPerSecond: 10_000 } }

const store = await openEventStore(world.database.url, { poolSize: 2 })
t.teardown(() => store.close())

/** What the replica answers a WebSocket upgrade that it refuses (rejects if it upgrades). */
function refusedUpgrade(url: string): Promise<{ status: number; body: { error: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (request, response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) })
      })
    })
    ws.on('open', () => {
      ws.close()
      reject(new Error('the upgrade was accepted'))
    })
    ws.on('error', reject)
  })
}

/** A viewer that keeps one chat command in flight (a new one shortly after each ack) until its socket closes. */
async function chatUntilClosed(socket: TestSocket, name: string): Promise<{ acked: Set<string>; closeCode: number; closedAt: number }> {
  const acked = new Set<string>()
  let closedAt = 0
  const closed = socket.closed.then((c) => {
    closedAt = Date.now()
    return c
  })
  socket.onMessage((m) => {
    if (m.type === 'ack') acked.add(m.id)
  })
  for (let i = 0; socket.isOpen; i++) {
    const id = `${name}-${i}`
    socket.send({ type: 'command', id, command: { type: 'chat', text: `message ${id}`, videoPosition: i } })
    await Promise.race([waitFor(() => acked.has(id), 20_000, `ack of ${id}`), closed])
    await new Promise((r) => setTimeout(r, 10))
  }
  return { acked, closeCode: (await closed).code, closedAt }
}

t.test('a draining replica is not ready and refuses new sockets and API requests with 503 draining', async (t) => {
  // a delay long enough that no socket closes during this test
  const server = await startSessionApp(t, world, { env: { DRAIN_DELAY_MS: '60000' }, deps })
  const { id } = await createSession(server.baseUrl, token(HOST))
  const { socket } = await TestSocket.join(server.wsUrl(id), token(HOST))
  t.equal((await api(server.baseUrl, 'GET', '/readyz', null)).status, 200, 'ready before the drain')

  void server.app.drain()
  const ready = await api<{ error: { code: string } }>(server.baseUrl, 'GET', '/readyz', null)
  t.equal(ready.status, 503, 'readiness answers 503')
  t.equal(ready.body.error.code, 'draining')
  t.equal((await api(server.baseUrl, 'GET', '/healthz', null)).status, 200, 'liveness still answers 200')

  const upgrade = await refusedUpgrade(server.wsUrl(id))
  t.equal(upgrade.status, 503, 'a new socket upgrade is refused before the upgrade')
  t.equal(upgrade.body.error.code, 'draining')
  const read = await api<{ error: { code: string } }>(server.baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))
  t.same([read.status, read.body.error.code], [503, 'draining'], 'a new API request is refused')

  t.ok(socket.isOpen, 'sockets already open stay open during the delay')
  t.equal((await socket.command({ type: 'chat', text: 'still here', videoPosition: 1 })).type, 'ack', 'and their commands are still answered')

  // close() alone, during the drain, still says goodbye with 1001
  await server.close()
  t.equal((await socket.closed).code, SESSION_SOCKET_CLOSE.goingAway)
})

t.test('every socket closes with 4503 at its own moment within the spread, after its commands in flight are acknowledged', async (t) => {
  const delayMs = 500
  const spreadMs = 2000
  const server = await startSessionApp(t, world, { env: { DRAIN_DELAY_MS: String(delayMs), DRAIN_SPREAD_MS: String(spreadMs) }, deps })
  const { id } = await createSession(server.baseUrl, token(HOST))
  const viewers = Array.from({ length: 16 }, () => randomUUID())
  const sockets = await Promise.all(
    viewers.map(async (user) => {
      const { socket } = await TestSocket.join(server.wsUrl(id), token(user), undefined, { record: false })
      socket.onMessage(() => undefined)
      return socket
    }),
  )
  for (const socket of sockets) {
    const joined = await new Promise<string>((resolve) => {
      const stop = socket.onMessage((m) => {
        if (m.type === 'ack' || m.type === 'reject') {
          stop()
          resolve(m.type)
        }
      })
      socket.send({ type: 'command', id: randomUUID(), command: { type: 'join' } })
    })
    t.equal(joined, 'ack', 'the viewer joined')
  }

  const chatting = sockets.map((socket, i) => chatUntilClosed(socket, `v${i}`))
  // every viewer has had commands answered before the drain starts
  await new Promise((r) => setTimeout(r, 300))
  const startedAt = Date.now()
  await server.app.drain()
  const results = await Promise.all(chatting)

  t.same(
    results.map((r) => r.closeCode),
    results.map(() => SESSION_SOCKET_CLOSE.draining),
    'every socket was closed with 4503',
  )
  const closeTimes = results.map((r) => r.closedAt - startedAt)
  t.ok(Math.min(...closeTimes) >= delayMs, `no socket closed before the delay (first at ${Math.min(...closeTimes)} ms)`)
  // a loaded machine may deliver a close late; a spread of 16 random moments over less than a
  // quarter of the window would be a spread not applied
  t.ok(Math.max(...closeTimes) <= delayMs + spreadMs + 3000, `every socket closed within the window (last at ${Math.max(...closeTimes)} ms)`)
  t.ok(Math.max(...closeTimes) - Math.min(...closeTimes) > spreadMs / 4, 'the closes are spread over the window')

  const stored = await store.events.read(sessionStream(id), 'start')
  const storedIds = new Set(stored.map((e) => e.metadata.commandId).filter((c): c is string => typeof c === 'string'))
  const storedButUnacked = results.flatMap((r, i) => [...storedIds].filter((c) => c.startsWith(`v${i}-`) && !r.acked.has(c)))
  t.same(storedButUnacked, [], 'every command the replica took was acknowledged before its socket closed')
  const ackedButLost = results.flatMap((r) => [...r.acked].filter((c) => !storedIds.has(c)))
  t.same(ackedButLost, [], 'every acknowledged command is stored')
  t.ok(results.every((r) => r.acked.size > 0), 'every viewer had commands acknowledged')
})
