import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { MEDIA_LIMITS, SESSION_LIMITS, type EventMessage, type MediaItem, type SessionStateView } from '@tandem/contracts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

/** The shared queue over the session socket: commands, events, the welcome, and input that must not get in. */

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const server = await startSessionApp(t, world)
const urlOf = (n: number) => `https://videos.example/clip-${n}.mp4`

async function sessionWithAlice() {
  const { id } = await createSession(server.baseUrl, token(HOST))
  await api(server.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(ALICE))
  return id
}

async function joined(t: Test, id: string, user: string) {
  const joinedSocket = await TestSocket.join(server.wsUrl(id), token(user))
  t.teardown(() => joinedSocket.socket.close())
  return joinedSocket
}

async function stateOf(id: string): Promise<SessionStateView & { revision: number }> {
  return (await api<SessionStateView & { revision: number }>(server.baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))).body
}

const ids = (queue: readonly MediaItem[]) => queue.map((item) => item.itemId)
const eventsOf = (socket: TestSocket, type: string) => socket.events().filter((e) => e.event.type === type)

t.test('queue commands round trip: every socket sees the events, the ack follows them', async (t) => {
  const id = await sessionWithAlice()
  const { socket: host } = await joined(t, id, HOST)
  const { socket: alice } = await joined(t, id, ALICE)

  const add = await host.command({ type: 'queueAdd', items: [{ url: urlOf(1), title: 'One' }, { url: urlOf(2), subtitlesUrl: 'https://subs.example/2.vtt' }] })
  t.same(add, { type: 'ack', id: add.id, revision: 3 })
  await alice.waitForRevision(3)
  t.match(eventsOf(alice, 'QueueItemAdded').map((e) => e.event.data), [
    { item: { itemId: 'r2', kind: 'url', url: urlOf(1), title: 'One', subtitlesUrl: null, file: null, addedBy: HOST }, index: 0 },
    { item: { itemId: 'r3', url: urlOf(2), title: '', subtitlesUrl: 'https://subs.example/2.vtt' }, index: 1 },
  ])
  t.match(await host.command({ type: 'queueAdd', items: [{ kind: 'local', file: { name: 'film.mkv', size: 1000, duration: 90 } }], next: true }), { type: 'ack', revision: 4 })
  t.match(await host.command({ type: 'queueMove', itemId: 'r2', index: 2 }), { type: 'ack', revision: 5 })
  t.match(await host.command({ type: 'queueRemove', itemId: 'r3' }), { type: 'ack', revision: 6 })
  t.same(ids((await stateOf(id)).queue), ['r4', 'r2'])

  t.match(await host.command({ type: 'playItem', itemId: 'r2' }), { type: 'ack', revision: 7 })
  t.match(await host.command({ type: 'play', position: 0 }), { type: 'ack', revision: 8 })
  t.match(await host.command({ type: 'advance', from: 'r2', reason: 'skip' }), { type: 'ack', revision: 9 })
  // Playing from 0 just now: an end reported for a 1 s item is within the tolerance of the shared clock.
  t.match(await alice.command({ type: 'advance', from: 'r4', reason: 'ended', duration: 1 }), { type: 'ack', revision: 10 })
  t.match(await alice.command({ type: 'react', emoji: '🎉', videoPosition: 0.5 }), { type: 'ack', revision: 11 })
  await host.waitForRevision(11)
  t.match(
    eventsOf(host, 'VideoChanged').map((e) => e.event.data),
    [
      { videoUrl: urlOf(1), item: { itemId: 'r2' }, reason: 'chosen', playing: false },
      { videoUrl: '', item: { itemId: 'r4', kind: 'local', file: { name: 'film.mkv' } }, reason: 'chosen', playing: true },
    ],
    'play now, then skip while playing',
  )
  t.match(host.events().at(-2)?.event, { type: 'PlaybackPaused', data: { position: 1 }, by: ALICE }, 'the end of the last item pauses there')
  t.match(host.events().at(-1)?.event, { type: 'ReactionSent', data: { emoji: '🎉', videoPosition: 0.5 }, by: ALICE })
  const state = await stateOf(id)
  t.match(state, { videoUrl: '', nowPlaying: { itemId: 'r4', kind: 'local' }, queue: [], playback: { status: 'paused', position: 1 } })
})

t.test("a late joiner's welcome carries the queue and what plays now", async (t) => {
  const id = await sessionWithAlice()
  const { socket: host } = await joined(t, id, HOST)
  await host.command({ type: 'queueAdd', items: [1, 2, 3].map((n) => ({ url: urlOf(n), title: `Clip ${n}` })) })
  await host.command({ type: 'playItem', itemId: 'r3' })
  const { welcome } = await joined(t, id, ALICE)
  t.match(welcome.state.nowPlaying, { itemId: 'r3', url: urlOf(2), title: 'Clip 2' })
  t.equal(welcome.state.videoUrl, urlOf(2))
  t.same(welcome.state.queue.map((item) => [item.itemId, item.title]), [['r2', 'Clip 1'], ['r4', 'Clip 3']])
})

t.test('refusals name what is wrong; the queue keeps what it had', async (t) => {
  const id = await sessionWithAlice()
  const { socket: host } = await joined(t, id, HOST)
  const { socket: alice } = await joined(t, id, ALICE)
  await host.command({ type: 'queueAdd', items: [{ url: urlOf(1) }] })
  for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)']) {
    t.match(await host.command({ type: 'queueAdd', items: [{ url }] }), { type: 'reject', code: 'invalid_video_url' }, url)
    t.match(await host.command({ type: 'video', videoUrl: url }), { type: 'reject', code: 'invalid_video_url' }, `video ${url}`)
  }
  t.match(await host.command({ type: 'queueAdd', items: [{ url: urlOf(2), subtitlesUrl: 'javascript:alert(1)' }] }), { type: 'reject', code: 'invalid_subtitles_url' })
  t.match(await host.command({ type: 'queueAdd', items: [{ kind: 'local', file: { name: 'a.mkv' } as never }] }), { type: 'reject', code: 'invalid_local_file' })
  t.match(await host.command({ type: 'queueMove', itemId: 'r2', index: 5 }), { type: 'reject', code: 'invalid_index' })
  t.match(await host.command({ type: 'playItem', itemId: 'r99' }), { type: 'reject', code: 'item_not_found' })
  t.match(await alice.command({ type: 'queueRemove', itemId: 'r2' }), { type: 'reject', code: 'not_host' })
  t.match(await alice.command({ type: 'react', emoji: '💩', videoPosition: 0 }), { type: 'reject', code: 'invalid_reaction' })
  const state = await stateOf(id)
  t.equal(state.revision, 2, 'nothing was stored')
  t.same(ids(state.queue), ['r2'])
})

t.test('oversized input: a clear answer, the socket or a new one goes on, nothing queued is lost', async (t) => {
  const id = await sessionWithAlice()
  const { socket: host } = await joined(t, id, HOST)
  await host.command({ type: 'queueAdd', items: [{ url: urlOf(1) }, { url: urlOf(2) }] })

  t.test('a queueAdd of 1000 items in a small frame is refused by its id', async (t) => {
    const items = Array.from({ length: 1000 }, () => ({}))
    const reply = await host.command({ type: 'queueAdd', items: items as never })
    t.match(reply, { type: 'reject', code: 'invalid_item', message: `add 1–${MEDIA_LIMITS.addMaxItems} items at a time` })
  })
  t.test('a queueAdd of 1000 real items is over the frame limit', async (t) => {
    const at = host.received.length - 1
    const frame = JSON.stringify({ type: 'command', id: 'thousand', command: { type: 'queueAdd', items: Array.from({ length: 1000 }, (_, n) => ({ url: `https://v.example/${n}` })) } })
    t.ok(frame.length > SESSION_LIMITS.maxFrameBytes && frame.length < 64 * 1024, `${frame.length} bytes`)
    host.send(frame)
    const error = await host.waitFor((m) => m.type === 'error' && host.received.indexOf(m) > at)
    t.match(error, { type: 'error', code: 'frame_too_large', message: `frames are limited to ${SESSION_LIMITS.maxFrameBytes} bytes` })
    t.match(await host.command({ type: 'queueAdd', items: [{ url: urlOf(3) }] }), { type: 'ack' }, 'the socket still takes commands')
  })
  t.test('a 10 MB frame: the WebSocket layer closes the socket (1009, message too big); a new one finds the queue intact', async (t) => {
    const { socket } = await joined(t, id, ALICE)
    socket.send(JSON.stringify({ type: 'command', id: 'huge', command: { type: 'queueAdd', items: [{ url: `https://v.example/${'x'.repeat(10 * 1024 * 1024)}` }] } }))
    t.equal((await socket.closed).code, 1009)
    const { welcome } = await joined(t, id, ALICE)
    t.same(ids(welcome.state.queue), ['r2', 'r3', 'r4'])
    t.equal(host.isOpen, true, 'other sockets are unaffected')
  })
})

t.test(`reactions: at most ${MEDIA_LIMITS.reactionsPerWindow} per user per ${MEDIA_LIMITS.reactionWindowMs / 1000} s, over all their sockets`, async (t) => {
  const id = await sessionWithAlice()
  const { socket: alice } = await joined(t, id, ALICE)
  const { socket: aliceAgain } = await joined(t, id, ALICE)
  const { socket: host } = await joined(t, id, HOST)
  const react = (socket: TestSocket) => socket.command({ type: 'react', emoji: '👏', videoPosition: 1 })
  const answers = []
  for (let i = 0; i < MEDIA_LIMITS.reactionsPerWindow - 1; i++) answers.push(await react(alice))
  answers.push(await react(aliceAgain))
  t.same(answers.map((a) => a.type), Array(MEDIA_LIMITS.reactionsPerWindow).fill('ack'))
  t.match(await react(alice), { type: 'reject', code: 'rate_limited', message: /reactions per/ })
  t.match(await react(aliceAgain), { type: 'reject', code: 'rate_limited' }, 'another socket of the same user shares the count')
  t.match(await alice.command({ type: 'chat', text: 'still here', videoPosition: 1 }), { type: 'ack' }, 'other commands are not limited')
  t.match(await react(host), { type: 'ack' }, 'other users have counts of their own')
  const reactions = (await host.waitFor((m): m is EventMessage => m.type === 'event' && m.event.type === 'ChatMessagePosted')) && eventsOf(host, 'ReactionSent')
  t.equal(reactions.filter((e) => e.event.by === ALICE).length, MEDIA_LIMITS.reactionsPerWindow, 'only the allowed reactions were stored')
  t.equal(alice.isOpen, true, 'being limited does not close the socket')
})
