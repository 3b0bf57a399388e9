import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { SESSION_LIMITS } from '@tandem/contracts'
import { startTestIssuer } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const server = await startSessionApp(t, world, { deps: { connectionLimits: { helloTimeoutMs: 300 } } })

async function everyoneSession() {
  const { id } = await createSession(server.baseUrl, token(HOST), { controlMode: 'everyone' })
  await api(server.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(ALICE))
  return id
}

async function joined(t: Test, id: string, user = ALICE) {
  const { socket } = await TestSocket.join(server.wsUrl(id), token(user))
  t.teardown(() => socket.close())
  return socket
}

/** Sends a frame and returns the next error/reject it caused, checking the socket still answers. */
async function answerTo(socket: TestSocket, frame: string | object) {
  const at = socket.received.length - 1
  socket.send(frame)
  const reply = await socket.waitFor((m) => (m.type === 'error' || m.type === 'reject') && socket.received.indexOf(m) > at)
  const t0 = Math.random()
  socket.send({ type: 'ping', t0 })
  await socket.waitFor((m) => m.type === 'pong' && m.t0 === t0)
  return reply
}

t.test('the hello limit is five seconds', async (t) => {
  t.equal(SESSION_LIMITS.helloTimeoutMs, 5000)
})

t.test('no hello in time: error hello_timeout, close 4401', async (t) => {
  const id = await everyoneSession()
  const socket = await TestSocket.open(server.wsUrl(id))
  const closed = await socket.closed
  t.equal(closed.code, 4401)
  t.match(socket.received, [{ type: 'error', code: 'hello_timeout' }])
})

t.test('a first frame that is not hello: close 4401', async (t) => {
  const id = await everyoneSession()
  for (const frame of ['{"type":"ping","t0":1}', 'not json', '{"type":"hello"}']) {
    const socket = await TestSocket.open(server.wsUrl(id))
    socket.send(frame)
    t.equal((await socket.closed).code, 4401, frame)
    t.match(socket.received, [{ type: 'error', code: 'hello_required' }])
  }
})

t.test('invalid or expired tokens: close 4401', async (t) => {
  const id = await everyoneSession()
  const stranger = await startTestIssuer()
  t.teardown(() => stranger.close())
  const tokens = {
    garbage: 'not-a-jwt',
    expired: world.issuer.sign(ALICE, { exp: Math.floor(Date.now() / 1000) - 10 }),
    'wrong audience': world.issuer.sign(ALICE, { aud: 'other' }),
    'foreign issuer': stranger.sign(ALICE),
  }
  for (const [what, bad] of Object.entries(tokens)) {
    const socket = await TestSocket.open(server.wsUrl(id))
    socket.send({ type: 'hello', token: bad })
    t.equal((await socket.closed).code, 4401, what)
    t.match(socket.received, [{ type: 'error', code: 'invalid_token' }], what)
  }
})

t.test('a socket does not outlive its token: at expiry, error invalid_token and close 4401; a fresh token resumes with since', async (t) => {
  const id = await everyoneSession()
  const expiresAt = Date.now() + 1500
  const { socket, welcome } = await TestSocket.join(server.wsUrl(id), world.issuer.sign(ALICE, { exp: Math.ceil(expiresAt / 1000) }))
  t.teardown(() => socket.close())
  socket.send({ type: 'command', id: 'before-expiry', command: { type: 'chat', text: 'still valid', videoPosition: 1 } })
  await socket.waitFor((m) => m.type === 'ack' && m.id === 'before-expiry')
  const closed = await socket.closed
  t.equal(closed.code, 4401, 'closed as unauthenticated')
  t.ok(Date.now() >= Math.ceil(expiresAt / 1000) * 1000 - 50, 'not before the token expired')
  t.match(socket.received.at(-1), { type: 'error', code: 'invalid_token', message: /expired/ })

  const again = await TestSocket.join(server.wsUrl(id), token(ALICE), welcome.revision)
  t.teardown(() => again.socket.close())
  const missed = await again.socket.waitFor((m) => m.type === 'event' && m.event.type === 'ChatMessagePosted')
  t.match(missed, { event: { data: { text: 'still valid' } } }, 'the reconnect with since brings what was sent before the expiry')
})

t.test('an unknown session: close 4404 after hello', async (t) => {
  for (const id of [randomUUID(), 'not-a-session']) {
    const socket = await TestSocket.open(server.wsUrl(id))
    socket.send({ type: 'hello', token: token(ALICE) })
    t.equal((await socket.closed).code, 4404)
    t.match(socket.received, [{ type: 'error', code: 'session_not_found' }])
  }
})

t.test('malformed JSON, unknown types, missing or wrongly typed fields', async (t) => {
  const socket = await joined(t, await everyoneSession())
  const cases: Array<[string | object, object]> = [
    ['{"type":"command",', { type: 'error', code: 'malformed_json' }],
    ['[1,2,3]', { type: 'error', code: 'invalid_message' }],
    ['"hello"', { type: 'error', code: 'invalid_message' }],
    [{ kind: 'ping' }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'teleport', to: 'mars' }, { type: 'error', code: 'unknown_type' }],
    [{ type: 'hello', token: token(ALICE) }, { type: 'error', code: 'hello_repeated' }],
    [{ type: 'command', command: { type: 'play', position: 1 } }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'command', id: 'x'.repeat(65), command: { type: 'play', position: 1 } }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'command', id: 'c1' }, { type: 'reject', id: 'c1', code: 'invalid_command' }],
    [{ type: 'command', id: 'c2', command: { type: 'explode' } }, { type: 'reject', id: 'c2', code: 'invalid_command' }],
    [{ type: 'command', id: 'c3', command: 'play' }, { type: 'reject', id: 'c3', code: 'invalid_command' }],
    [{ type: 'command', id: 'c4', command: { type: 'play' } }, { type: 'reject', id: 'c4', code: 'invalid_position' }],
    [{ type: 'command', id: 'c5', command: { type: 'play', position: '5' } }, { type: 'reject', id: 'c5', code: 'invalid_position' }],
    [{ type: 'command', id: 'c6', command: { type: 'rate', rate: '2', position: 1 } }, { type: 'reject', id: 'c6', code: 'invalid_rate' }],
    [{ type: 'command', id: 'c7', command: { type: 'chat', text: 7, videoPosition: 1 } }, { type: 'reject', id: 'c7', code: 'invalid_chat' }],
    [{ type: 'command', id: 'c8', command: { type: 'video', videoUrl: 42 } }, { type: 'reject', id: 'c8', code: 'invalid_video_url' }],
    [{ type: 'command', id: 'c9', command: { type: 'controlMode', mode: 'chaos' } }, { type: 'reject', id: 'c9', code: 'not_host' }],
    [{ type: 'scrub' }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'ping', t0: 'now' }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'history', limit: 0 }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'history', limit: 1000 }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'history', limit: 5, before: -3 }, { type: 'error', code: 'invalid_message' }],
    [{ type: 'report', position: 1, buffering: 'yes' }, { type: 'error', code: 'invalid_message' }],
  ]
  for (const [frame, expected] of cases) {
    t.match(await answerTo(socket, frame), expected, typeof frame === 'string' ? frame : JSON.stringify(frame))
  }
})

t.test('NaN, negative and huge positions are refused', async (t) => {
  const socket = await joined(t, await everyoneSession())
  t.match(await answerTo(socket, '{"type":"command","id":"n1","command":{"type":"seek","position":NaN}}'), { code: 'malformed_json' }, 'a NaN literal is not JSON')
  const positions: Array<[string, string]> = [
    ['null', 'null (what JSON.stringify makes of NaN)'],
    ['-1', 'negative'],
    ['-0.5', 'negative fraction'],
    ['1e308', 'huge'],
    ['1e400', 'overflows to Infinity'],
    [String(SESSION_LIMITS.maxPosition + 1), 'past the limit'],
  ]
  for (const [i, [literal, what]] of positions.entries()) {
    for (const type of ['play', 'pause', 'seek']) {
      const reply = await answerTo(socket, `{"type":"command","id":"p${i}${type}","command":{"type":"${type}","position":${literal}}}`)
      t.match(reply, { type: 'reject', code: 'invalid_position' }, `${type} ${what}`)
    }
    const chat = await answerTo(socket, `{"type":"command","id":"cp${i}","command":{"type":"chat","text":"x","videoPosition":${literal}}}`)
    t.match(chat, { type: 'reject', code: 'invalid_position' }, `chat at ${what}`)
    t.match(await answerTo(socket, `{"type":"scrub","position":${literal}}`), { type: 'error', code: 'invalid_message' }, `scrub ${what}`)
  }
  t.match(await answerTo(socket, { type: 'command', id: 'r1', command: { type: 'rate', rate: 1e9, position: 1 } }), { code: 'invalid_rate' })
  t.same(socket.events(), [], 'nothing was stored')
})

t.test('a 10,000-character chat is refused', async (t) => {
  const socket = await joined(t, await everyoneSession())
  const reply = await answerTo(socket, { type: 'command', id: 'long', command: { type: 'chat', text: 'x'.repeat(10_000), videoPosition: 0 } })
  t.match(reply, { type: 'reject', id: 'long', code: 'invalid_chat' })
  t.match(await socket.command({ type: 'chat', text: 'x'.repeat(500), videoPosition: 0 }), { type: 'ack' }, '500 characters are fine')
})

t.test('frames over 16 KiB get frame_too_large; far larger ones close the socket', async (t) => {
  const socket = await joined(t, await everyoneSession())
  const big = JSON.stringify({ type: 'command', id: 'big', command: { type: 'chat', text: 'y'.repeat(17 * 1024), videoPosition: 0 } })
  t.match(await answerTo(socket, big), { type: 'error', code: 'frame_too_large' })
  socket.send('z'.repeat(100 * 1024))
  t.equal((await socket.closed).code, 1009, 'the WebSocket layer refuses a 100 KiB frame (Message Too Big)')
})

t.test('binary frames are refused', async (t) => {
  const socket = await joined(t, await everyoneSession())
  const at = socket.received.length - 1
  socket.ws.send(Buffer.from([1, 2, 3]))
  t.match(await socket.waitFor((m) => m.type === 'error' && socket.received.indexOf(m) > at), { code: 'unsupported_frame' })
})

t.test('repeated bad frames close the socket with 4400', async (t) => {
  const socket = await joined(t, await everyoneSession())
  for (let i = 0; i < 50; i++) socket.send('{oops')
  t.equal((await socket.closed).code, 4400)
  t.ok(socket.received.filter((m) => m.type === 'error' && m.code === 'malformed_json').length >= 20)
})

t.test('a flood of 1,000 commands: rate limited, then closed; others unaffected, nothing acknowledged lost', async (t) => {
  const id = await everyoneSession()
  const flooder = await joined(t, id, ALICE)
  const bystander = await joined(t, id, HOST)
  for (let i = 0; i < 1000; i++) flooder.send({ type: 'command', id: `flood-${i}`, command: { type: 'chat', text: `spam ${i}`, videoPosition: 0 } })
  const closed = await flooder.closed
  t.equal(closed.code, 4429, 'closed for flooding')
  const acks = flooder.received.filter((m) => m.type === 'ack')
  const limited = flooder.received.filter((m) => m.type === 'reject' && m.code === 'rate_limited')
  t.ok(acks.length > 0 && acks.length < 100, `some commands went through (${acks.length})`)
  t.ok(limited.length > 50, `then rate_limited rejects (${limited.length})`)

  t.match(await bystander.command({ type: 'chat', text: 'still here', videoPosition: 1 }), { type: 'ack' }, 'the other socket still works')
  const db = new pg.Client({ connectionString: world.database.url })
  await db.connect()
  t.teardown(() => db.end())
  const { rows } = await db.query<{ command_id: string }>(`SELECT metadata->>'commandId' AS command_id FROM events WHERE stream_id = $1`, [`session-${id}`])
  const stored = new Set(rows.map((r) => r.command_id))
  t.ok(acks.every((a) => a.type === 'ack' && stored.has(a.id)), 'every acknowledged command is stored')
  t.equal(stored.size, rows.length, 'and stored once')
})

t.test('a scrub flood is throttled and never stored', async (t) => {
  const id = await everyoneSession()
  const host = await joined(t, id, HOST)
  const alice = await joined(t, id, ALICE)
  for (let i = 0; i < 1000; i++) host.send({ type: 'scrub', position: i })
  t.equal((await host.closed).code, 4429, 'the flooder is closed in the end')
  await new Promise((r) => setTimeout(r, 300))
  const previews = alice.received.filter((m) => m.type === 'scrub')
  t.ok(previews.length >= 1 && previews.length <= 5, `throttled to a few previews (${previews.length})`)
  const state = await api<{ revision: number }>(server.baseUrl, 'GET', `/v1/sessions/${id}`, token(ALICE))
  t.equal(state.body.revision, 1, 'no event stored')
  t.match(await alice.command({ type: 'play', position: 3 }), { type: 'ack', revision: 2 }, 'the session carries on')
})
