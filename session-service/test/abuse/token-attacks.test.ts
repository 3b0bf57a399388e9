import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { ClientCommand } from '@tandem/contracts'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { tokenAttacks, validToken, type SigningKey } from '@tandem/service-kit/testing/abuse'

const world = await createWorld(t)
const server = await startSessionApp(t, world)
const key: SigningKey = {
  privateKeyPem: world.issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  publicKeyPem: world.issuer.publicKeyPem,
  kid: world.issuer.kid,
  issuer: world.issuer.issuer,
}
const HOST = randomUUID()
const ALICE = randomUUID()
const MALLORY = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const session = await createSession(server.baseUrl, token(HOST), { controlMode: 'everyone' })
await api(server.baseUrl, 'POST', `/v1/sessions/${session.id}/join`, token(ALICE))

const revision = async () => (await api<{ revision: number }>(server.baseUrl, 'GET', `/v1/sessions/${session.id}`, token(ALICE))).body.revision
const lobbySize = async () => (await api<{ sessions: unknown[] }>(server.baseUrl, 'GET', '/v1/sessions', token(ALICE))).body.sessions.length

const routes: Array<[string, string, object?]> = [
  ['GET', '/v1/sessions'],
  ['GET', `/v1/sessions/${session.id}`],
  // public, so that a forged create would show in the lobby count below
  ['POST', '/v1/sessions', { title: 'Forged night', videoUrl: 'https://videos.example/a.mp4', visibility: 'public' }],
  ['POST', `/v1/sessions/${session.id}/join`],
  ['POST', `/v1/sessions/${session.id}/leave`],
  ['POST', `/v1/sessions/${session.id}/end`],
]

t.test('every REST route refuses forged, expired, premature and misdirected tokens, and a missing one', async (t) => {
  const before = { revision: await revision(), lobby: await lobbySize() }
  t.equal((await api(server.baseUrl, 'GET', '/v1/sessions', validToken(key, MALLORY))).status, 200, 'control: a real token passes')
  const attacks = tokenAttacks(key, ALICE)
  let refused = 0
  for (const [method, path, body] of routes) {
    const none = await api<{ error: { code: string } }>(server.baseUrl, method, path, null, body)
    t.equal(none.status, 401, `${method} ${path} without a token`)
    t.equal(none.body.error.code, 'unauthenticated')
    for (const { attack, token: forged, code } of attacks) {
      const res = await api<{ error: { code: string } }>(server.baseUrl, method, path, forged, body)
      t.equal(res.status, 401, `${method} ${path}: ${attack}`)
      t.equal(res.body.error?.code, code, `${method} ${path}: ${attack}`)
      if (res.status === 401) refused++
    }
  }
  t.same({ revision: await revision(), lobby: await lobbySize() }, before, 'no session was created or changed')
  t.comment(`token attacks on session-service REST: ${attacks.length} attacks × ${routes.length} routes = ${attacks.length * routes.length}, ${refused} refused with 401, revision moved: 0`)
})

t.test('the socket hello refuses the same tokens: error invalid_token, close 4401, no welcome', async (t) => {
  const before = await revision()
  const attacks = tokenAttacks(key, ALICE)
  const hellos: Array<[string, object]> = [
    ...attacks.map(({ attack, token: forged }): [string, object] => [attack, { type: 'hello', token: forged }]),
    ['no token', { type: 'hello' }],
    ['an empty token', { type: 'hello', token: '' }],
    ['a token that is not a string', { type: 'hello', token: { alg: 'none' } }],
  ]
  let closed = 0
  for (const [attack, hello] of hellos) {
    const socket = await TestSocket.open(server.wsUrl(session.id))
    socket.send(hello)
    const { code } = await socket.closed
    t.equal(code, 4401, attack)
    t.match(socket.received, [{ type: 'error', code: /^(invalid_token|hello_required)$/ }], attack)
    t.notOk(socket.received.some((m) => m.type === 'welcome'), `${attack}: no welcome`)
    if (code === 4401) closed++
  }
  t.equal(await revision(), before)
  t.comment(`token attacks on the session socket hello: ${hellos.length} hellos, ${closed} closed with 4401, welcomes: 0`)
})

t.test('a valid user who is not a member may watch but not act', async (t) => {
  const before = await revision()
  const leave = await api<{ error: { code: string } }>(server.baseUrl, 'POST', `/v1/sessions/${session.id}/leave`, token(MALLORY))
  t.equal(leave.status, 403)
  t.equal(leave.body.error.code, 'not_member')
  const end = await api<{ error: { code: string } }>(server.baseUrl, 'POST', `/v1/sessions/${session.id}/end`, token(MALLORY))
  t.equal(end.status, 403)
  t.equal(end.body.error.code, 'not_host')

  const { socket, welcome } = await TestSocket.join(server.wsUrl(session.id), token(MALLORY))
  t.teardown(() => socket.close())
  t.notOk(welcome.state.members.includes(MALLORY))
  const commands: ClientCommand[] = [
    { type: 'play', position: 1 },
    { type: 'pause', position: 1 },
    { type: 'seek', position: 30 },
    { type: 'rate', rate: 2, position: 1 },
    { type: 'chat', text: 'let me in', videoPosition: 1 },
    { type: 'video', videoUrl: 'https://videos.example/other.mp4' },
    { type: 'controlMode', mode: 'host' },
    { type: 'leave' },
  ]
  for (const command of commands) t.match(await socket.command(command), { type: 'reject', code: 'not_member' }, command.type)
  t.match(await socket.command({ type: 'end' }), { type: 'reject', code: 'not_host' }, 'end')
  const at = socket.received.length
  socket.send({ type: 'scrub', position: 12 })
  t.match(await socket.waitFor((m) => m.type === 'error' && socket.received.indexOf(m) >= at), { code: 'not_member' }, 'scrub')
  t.equal(await revision(), before, 'nothing was appended')
  t.comment(`non-member actions on session-service: 2 REST + ${commands.length + 2} socket attempts, all refused (not_member / not_host), revision moved: 0`)
})
