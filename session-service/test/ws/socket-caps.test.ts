import t from 'tap'
import { randomUUID } from 'node:crypto'
import { SESSION_SOCKET_CLOSE } from '@tandem/contracts'
import { SessionSocket, closeAll, waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

// Caps on the open sockets of one user (per session and in total), against a real service.

const world = await createWorld(t)
const server = await startSessionApp(t, world, { env: { MAX_SOCKETS_PER_USER_SESSION: '2', MAX_SOCKETS_PER_USER: '3' } })
const token = (user: string) => world.issuer.sign(user)
const HOST = randomUUID()
const sessions = [
  await createSession(server.baseUrl, token(HOST), { controlMode: 'everyone' }),
  await createSession(server.baseUrl, token(HOST)),
  await createSession(server.baseUrl, token(HOST)),
]

/** Opens a socket and says hello; the welcome, or the error and close code it was refused with. */
async function attempt(sessionId: string, user: string) {
  const socket = await SessionSocket.open(server.wsUrl(sessionId))
  const welcome = await socket.hello(token(user)).catch(() => null)
  if (welcome) return { socket, refused: null }
  return { socket, refused: { ...(await socket.closed), error: socket.received.find((m) => m.type === 'error') } }
}

async function stillWorks(socket: SessionSocket, t0: number): Promise<boolean> {
  socket.send({ type: 'ping', t0 })
  await socket.waitFor((m) => m.type === 'pong' && m.t0 === t0)
  return socket.isOpen
}

t.test('a socket beyond the cap per session is refused with 4409 while the earlier ones keep working', async (t) => {
  const USER = randomUUID()
  const [id] = sessions.map((s) => s.id)
  await api(server.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(USER))
  const { socket: first } = await SessionSocket.join(server.wsUrl(id!), token(USER))
  const { socket: second } = await SessionSocket.join(server.wsUrl(id!), token(USER))
  t.teardown(() => closeAll([first, second]))

  const third = await attempt(id!, USER)
  t.match(third.refused, { code: SESSION_SOCKET_CLOSE.tooManySockets, reason: 'too many sockets', error: { type: 'error', code: 'too_many_sockets' } })
  t.notOk(third.socket.received.some((m) => m.type === 'welcome'), 'no welcome')

  t.ok(await stillWorks(first, 1), 'the first socket still answers')
  const ack = await second.command({ type: 'chat', text: 'still here', videoPosition: 0 })
  t.equal(ack.type, 'ack', 'the second socket still acts')
  await first.waitForRevision(ack.type === 'ack' ? ack.revision : -1)

  const { socket: other } = await SessionSocket.join(server.wsUrl(id!), token(randomUUID()))
  t.teardown(() => other.close())
  t.pass('another user connects to the same session')

  await second.close()
  const again = await waitFor(async () => {
    const next = await attempt(id!, USER)
    return next.refused ? null : next.socket
  }, 10_000, 'a slot freed by the closed socket')
  t.teardown(() => again.close())
  t.pass('closing a socket frees its slot')
})

t.test('a socket beyond the cap per user is refused in any session', async (t) => {
  const USER = randomUUID()
  const [a, b, c] = sessions.map((s) => s.id)
  const open = [
    (await SessionSocket.join(server.wsUrl(a!), token(USER))).socket,
    (await SessionSocket.join(server.wsUrl(a!), token(USER))).socket,
    (await SessionSocket.join(server.wsUrl(b!), token(USER))).socket,
  ]
  t.teardown(() => closeAll(open))
  const fourth = await attempt(c!, USER)
  t.match(fourth.refused, { code: SESSION_SOCKET_CLOSE.tooManySockets, error: { code: 'too_many_sockets' } })
  for (const [i, socket] of open.entries()) t.ok(await stillWorks(socket, 10 + i), `socket ${i + 1} still answers`)
})
