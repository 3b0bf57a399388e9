import t from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { PresenceMessage } from '@tandem/contracts'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const BOB = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const server = await startSessionApp(t, world)

async function sessionWithMembers(controlMode: 'host' | 'everyone' = 'host') {
  const { id } = await createSession(server.baseUrl, token(HOST), { controlMode })
  await api(server.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(ALICE))
  return id
}

t.test('hello gets a welcome with the state, the revision and the server time', async (t) => {
  const id = await sessionWithMembers()
  const before = Date.now()
  const { socket, welcome } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  t.equal(welcome.revision, 1)
  t.equal(welcome.userId, ALICE)
  t.ok(welcome.serverTime >= before - 5 && welcome.serverTime <= Date.now() + 5, 'server time is now')
  t.match(welcome.state, {
    id,
    title: 'Movie night',
    hostId: HOST,
    controlMode: 'host',
    status: 'open',
    members: [HOST, ALICE],
    playback: { status: 'paused', position: 0, rate: 1 },
  })
  t.same(socket.events(), [], 'no events without since')
})

t.test('commands: events reach every socket in revision order, then the ack', async (t) => {
  const id = await sessionWithMembers()
  const host = await TestSocket.join(server.wsUrl(id), token(HOST))
  const alice = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => Promise.all([host.socket.close(), alice.socket.close()]))

  const play = await host.socket.command({ type: 'play', position: 10 })
  t.same(play, { type: 'ack', id: play.id, revision: 2 })
  const ackIndex = host.socket.received.indexOf(play)
  const eventIndex = host.socket.received.findIndex((m) => m.type === 'event' && m.revision === 2)
  t.ok(eventIndex >= 0 && eventIndex < ackIndex, 'the event frame precedes the ack')

  await host.socket.command({ type: 'rate', rate: 1.5, position: 11 })
  await host.socket.command({ type: 'seek', position: 100 })
  await alice.socket.command({ type: 'chat', text: ' hello  ', videoPosition: 100 })
  await host.socket.command({ type: 'pause', position: 101 })
  await alice.socket.waitForRevision(6)
  for (const s of [host.socket, alice.socket]) {
    t.same(s.events().map((e) => [e.revision, e.event.type]), [
      [2, 'PlaybackStarted'],
      [3, 'PlaybackRateChanged'],
      [4, 'PlaybackSeeked'],
      [5, 'ChatMessagePosted'],
      [6, 'PlaybackPaused'],
    ])
  }
  const chat = alice.socket.events().find((e) => e.event.type === 'ChatMessagePosted')!
  t.match(chat.event, { data: { text: 'hello', videoPosition: 100 }, by: ALICE })
  t.type(chat.event.at, 'number')

  const state = await api<{ playback: object; revision: number }>(server.baseUrl, 'GET', `/v1/sessions/${id}`, token(BOB))
  t.match(state.body, { revision: 6, playback: { status: 'paused', position: 101, rate: 1.5 } })
})

t.test('an ack means the event is in the store', async (t) => {
  const id = await sessionWithMembers('everyone')
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  const db = new pg.Client({ connectionString: world.database.url })
  await db.connect()
  t.teardown(() => db.end())
  for (let i = 0; i < 5; i++) {
    const ack = await socket.command({ type: 'chat', text: `durable ${i}`, videoPosition: i })
    t.equal(ack.type, 'ack')
    // Read on another connection the moment the ack arrives.
    const { rows } = await db.query('SELECT metadata FROM events WHERE stream_id = $1 AND stream_revision = $2', [`session-${id}`, ack.type === 'ack' ? ack.revision : -1])
    t.equal(rows[0]?.metadata.commandId, ack.id, `command ${i} is stored under its id`)
  }
})

t.test('a retried command id is acknowledged again without a new event', async (t) => {
  const id = await sessionWithMembers('everyone')
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  const first = await socket.command({ type: 'chat', text: 'once', videoPosition: 0 }, 'retry-me')
  socket.send({ type: 'command', id: 'retry-me', command: { type: 'chat', text: 'once', videoPosition: 0 } })
  await socket.waitFor((m) => m.type === 'ack' && m.id === 'retry-me' && socket.received.indexOf(m) > socket.received.indexOf(first))
  t.equal(socket.events().filter((e) => e.event.type === 'ChatMessagePosted').length, 1, 'one chat message')
  const acks = socket.received.filter((m) => m.type === 'ack' && m.id === 'retry-me')
  t.same(acks.map((a) => a.type === 'ack' && a.revision), [2, 2], 'both acks name the same revision')
})

t.test('a non-member may watch but not act', async (t) => {
  const id = await sessionWithMembers('everyone')
  const { socket, welcome } = await TestSocket.join(server.wsUrl(id), token(BOB))
  t.teardown(() => socket.close())
  t.notOk(welcome.state.members.includes(BOB))
  const reject = await socket.command({ type: 'play', position: 1 })
  t.match(reject, { type: 'reject', code: 'not_member' })
  const chat = await socket.command({ type: 'chat', text: 'hi', videoPosition: 0 })
  t.match(chat, { type: 'reject', code: 'not_member' })
  const joined = await socket.command({ type: 'join' })
  t.match(joined, { type: 'ack', revision: 2 })
  t.match(await socket.command({ type: 'play', position: 1 }), { type: 'ack', revision: 3 })
})

t.test('host control: others are refused', async (t) => {
  const id = await sessionWithMembers('host')
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  t.match(await socket.command({ type: 'seek', position: 5 }), { type: 'reject', code: 'not_host' })
  t.match(await socket.command({ type: 'controlMode', mode: 'everyone' }), { type: 'reject', code: 'not_host' })
})

t.test('ping gets an NTP-style pong', async (t) => {
  const id = await sessionWithMembers()
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  const t0 = Date.now() - 1234.5
  const before = Date.now()
  socket.send({ type: 'ping', t0 })
  const pong = await socket.next('pong')
  t.equal(pong.t0, t0, 't0 is echoed')
  t.ok(pong.t1 >= before - 5 && pong.t1 <= Date.now() + 5, 't1 is server time on arrival')
  t.ok(pong.t2 >= pong.t1, 't2 (departure) is not before t1')
})

t.test('history pages backwards through chat and control events', async (t) => {
  const id = await sessionWithMembers('everyone')
  const { socket } = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => socket.close())
  for (let i = 0; i < 7; i++) await socket.command({ type: 'chat', text: `line ${i}`, videoPosition: i })
  // revisions: 0 created, 1 joined, 2..8 chat
  socket.send({ type: 'history', limit: 4 })
  const first = await socket.next('history')
  t.same(first.events.map((e) => e.revision), [8, 7, 6, 5])
  t.equal(first.hasMore, true)
  t.match(first.events[0]!.event, { type: 'ChatMessagePosted', data: { text: 'line 6' } })
  const at = socket.received.length - 1
  socket.send({ type: 'history', before: 5, limit: 4 })
  const second = await socket.next('history', undefined, at)
  t.same(second.events.map((e) => e.revision), [4, 3, 2, 1])
  t.equal(second.hasMore, true)
  const at2 = socket.received.length - 1
  socket.send({ type: 'history', before: 1, limit: 4 })
  const last = await socket.next('history', undefined, at2)
  t.same(last.events.map((e) => [e.revision, e.event.type]), [[0, 'SessionCreated']])
  t.equal(last.hasMore, false)
})

t.test('reconnecting with since replays exactly the missed events, then goes live', async (t) => {
  const id = await sessionWithMembers('everyone')
  const alice = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => alice.socket.close())
  const first = await TestSocket.join(server.wsUrl(id), token(HOST))
  await first.socket.command({ type: 'play', position: 1 })
  const seen = first.socket.events().at(-1)!.revision
  await first.socket.close()

  for (let i = 0; i < 5; i++) await alice.socket.command({ type: 'chat', text: `while away ${i}`, videoPosition: i })
  const back = await TestSocket.join(server.wsUrl(id), token(HOST), seen)
  t.teardown(() => back.socket.close())
  t.equal(back.welcome.revision, seen + 5)
  await back.socket.waitForRevision(seen + 5)
  t.same(back.socket.events().map((e) => e.revision), [3, 4, 5, 6, 7], 'exactly the missed revisions')
  await alice.socket.command({ type: 'pause', position: 9 })
  await back.socket.waitForRevision(seen + 6)
  t.same(back.socket.events().map((e) => e.revision), [3, 4, 5, 6, 7, 8], 'then the live ones, without gaps or repeats')

  const ahead = await TestSocket.join(server.wsUrl(id), token(HOST), 1000)
  t.teardown(() => ahead.socket.close())
  t.equal(ahead.welcome.revision, 8, 'a since beyond the stream gets the current state')
})

t.test('presence and reports are shown to the others', async (t) => {
  const id = await sessionWithMembers('everyone')
  const alice = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => alice.socket.close())
  const isPresence = (m: { type: string }): m is PresenceMessage => m.type === 'presence'
  await alice.socket.waitFor((m) => isPresence(m) && m.viewers.length === 1)
  const host = await TestSocket.join(server.wsUrl(id), token(HOST))
  const both = await alice.socket.waitFor((m): m is PresenceMessage => isPresence(m) && m.viewers.length === 2)
  t.same(both.viewers.map((v) => v.userId).sort(), [HOST, ALICE].sort())

  host.socket.send({ type: 'report', position: 42.5, buffering: true })
  const reported = await alice.socket.waitFor((m): m is PresenceMessage => isPresence(m) && m.viewers.some((v) => v.userId === HOST && v.buffering))
  t.match(reported.viewers.find((v) => v.userId === HOST), { position: 42.5, buffering: true })

  await host.socket.close()
  await alice.socket.waitFor((m) => isPresence(m) && m.viewers.length === 1 && alice.socket.received.indexOf(m) > alice.socket.received.indexOf(reported))
  t.pass('a viewer who leaves disappears')
})

t.test('scrub previews reach the others and are never stored', async (t) => {
  const id = await sessionWithMembers('everyone')
  const host = await TestSocket.join(server.wsUrl(id), token(HOST))
  const alice = await TestSocket.join(server.wsUrl(id), token(ALICE))
  t.teardown(() => Promise.all([host.socket.close(), alice.socket.close()]))
  host.socket.send({ type: 'scrub', position: 30 })
  const preview = await alice.socket.next('scrub')
  t.same(preview, { type: 'scrub', userId: HOST, position: 30 })
  t.notOk(host.socket.received.some((m) => m.type === 'scrub'), 'not echoed to the sender')
  const state = await api<{ revision: number }>(server.baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))
  t.equal(state.body.revision, 1, 'no event was stored')

  const bob = await TestSocket.join(server.wsUrl(id), token(BOB))
  t.teardown(() => bob.socket.close())
  bob.socket.send({ type: 'scrub', position: 1 })
  t.match(await bob.socket.next('error'), { code: 'not_member' })
})
