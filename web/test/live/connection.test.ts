import t from 'tap'
import type { RevisionedSessionEvent, WelcomeMessage } from '@tandem/contracts'
import {
  LiveConnection,
  SignedOutError,
  type ClockSync,
  type ConnectionStatus,
  type TokenSource,
} from '../../src/lib/live/connection.ts'
import { SyncEngine } from '../../src/lib/sync/engine.ts'
import { FakeSocket } from '../fixtures/fake-socket.ts'
import { FakeTimers, settle } from '../fixtures/fake-timers.ts'
import { chat, eventFrame, paused, played, welcome } from '../fixtures/session-frames.ts'

const URL = 'ws://127.0.0.1:4003/v1/sessions/abc/ws'

interface Harness {
  connection: LiveConnection
  timers: FakeTimers
  sockets: FakeSocket[]
  /** the newest socket */
  socket(): FakeSocket
  welcomes: Array<{ message: WelcomeMessage; resumed: boolean }>
  events: Array<{ event: RevisionedSessionEvent; apply: boolean }>
  statuses: ConnectionStatus[]
  tokensAsked: boolean[]
  clock: ClockSync & { pongs: number; reconnects: number }
}

function harness(options: { token?: TokenSource; clock?: ClockSync } = {}): Harness {
  const timers = new FakeTimers(1_000_000)
  const sockets: FakeSocket[] = []
  const welcomes: Harness['welcomes'] = []
  const events: Harness['events'] = []
  const statuses: ConnectionStatus[] = []
  const tokensAsked: boolean[] = []
  const clock = {
    pongs: 0,
    reconnects: 0,
    ping: () => ({ t0: timers.clock.now() }),
    onPong() {
      clock.pongs++
    },
    nextPingDelay: () => 300,
    onReconnect() {
      clock.reconnects++
    },
  }
  let ids = 0
  const connection = new LiveConnection({
    url: URL,
    token:
      options.token ??
      (async (fresh) => {
        tokensAsked.push(fresh)
        return fresh ? 'fresh-token' : 'page-token'
      }),
    clock: options.clock ?? clock,
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    timers,
    now: () => timers.clock.now(),
    random: () => 0.5,
    newId: () => `cmd-${++ids}`,
    listener: {
      welcome: (message, resumed) => welcomes.push({ message, resumed }),
      event: (event, apply) => events.push({ event, apply }),
      scrub: () => {},
      presence: () => {},
      error: () => {},
      status: (status) => statuses.push(status),
    },
  })
  return {
    connection,
    timers,
    sockets,
    socket: () => sockets[sockets.length - 1]!,
    welcomes,
    events,
    statuses,
    tokensAsked,
    clock,
  }
}

/** Starts the connection and answers its hello with a welcome at `revision`. */
async function connected(h: Harness, revision = 5): Promise<FakeSocket> {
  h.connection.start()
  await settle()
  const socket = h.socket()
  socket.open()
  socket.receive(welcome(revision))
  return socket
}

t.test('hello carries the token first, then welcome opens the room and pings start', async (t) => {
  const h = harness()
  h.connection.start()
  await settle()
  const socket = h.socket()
  t.equal(socket.url, URL)
  socket.open()
  t.same(socket.sent, [{ type: 'hello', token: 'page-token' }], 'no since on the first connection')
  t.notOk(h.connection.isOpen)
  socket.receive(welcome(5))
  t.ok(h.connection.isOpen)
  t.equal(h.welcomes.length, 1)
  t.equal(h.welcomes[0]!.resumed, false)
  t.same(h.statuses.map((s) => s.phase), ['connecting', 'open'])
  t.same(socket.sentOf('ping'), [{ type: 'ping', t0: 1_000_000 }], 'the first ping goes out at once')
  h.timers.advance(300)
  t.equal(socket.sentOf('ping').length, 2, 'then on the estimator schedule')
  socket.receive({ type: 'pong', t0: 1_000_000, t1: 5, t2: 6 })
  t.equal(h.clock.pongs, 1, 'pongs feed the clock estimator')
})

t.test('events are applied strictly by revision; a gap reopens the socket with since', async (t) => {
  const h = harness()
  const first = await connected(h, 5)
  first.receive(eventFrame(6, played(0, 2_000)))
  first.receive(eventFrame(6, played(0, 2_000)))
  first.receive(eventFrame(5, chat('old', 0)))
  t.same(h.events.map((e) => [e.event.revision, e.apply]), [[6, true]], 'duplicates and old revisions are ignored')
  t.equal(h.connection.revision, 6)

  first.receive(eventFrame(9, paused(3, 5_000)))
  t.same(first.closedWith, { code: 4000, reason: 'resync' }, 'a gap drops the socket')
  t.equal(h.events.length, 1, 'the event after the gap is not applied')
  await settle()
  const second = h.socket()
  t.not(second, first)
  second.open()
  t.same(second.sentOf('hello'), [{ type: 'hello', token: 'page-token', since: 6 }], 'asks for everything after 6')
  second.receive(welcome(9, { playback: { status: 'paused', position: 3, rate: 1, at: 5_000 } }))
  t.equal(h.welcomes[1]!.resumed, true)
  second.receive(eventFrame(7, chat('missed', 1)))
  second.receive(eventFrame(8, chat('missed too', 2)))
  second.receive(eventFrame(9, paused(3, 5_000)))
  second.receive(eventFrame(10, played(3, 6_000)))
  t.same(
    h.events.slice(1).map((e) => [e.event.revision, e.apply]),
    [[7, false], [8, false], [9, false], [10, true]],
    'replayed events up to the welcome are history only (the welcome state has them); later ones apply',
  )
  t.same(h.statuses.filter((s) => s.phase === 'retrying'), [], 'a resync is not a failure')
  first.drop(4000)
  t.equal(h.sockets.length, 2, 'the close of the replaced socket is ignored')
})

t.test('a dropped socket reconnects with backoff and resumes with since', async (t) => {
  const h = harness()
  const first = await connected(h, 5)
  first.receive(eventFrame(6, played(0, 2_000)))
  first.drop(1006)
  t.notOk(h.connection.isOpen)
  const retrying = h.statuses.at(-1)
  t.equal(retrying?.phase, 'retrying')
  const delay = retrying?.phase === 'retrying' ? retrying.delayMs : 0
  t.ok(delay >= 250 && delay <= 500, `first retry after 250–500 ms (${delay})`)
  h.timers.advance(delay - 1)
  t.equal(h.sockets.length, 1)
  h.timers.advance(1)
  await settle()
  t.equal(h.sockets.length, 2)
  h.socket().open()
  t.same(h.socket().sentOf('hello'), [{ type: 'hello', token: 'page-token', since: 6 }])
  h.socket().receive(welcome(6))
  t.equal(h.clock.reconnects, 1, 'the clock estimate restarts its ping burst')
  t.equal(h.welcomes.at(-1)?.resumed, true)

  // failures in a row back off further; a welcome resets the count
  h.socket().drop(1006)
  h.timers.advance(500)
  await settle()
  h.socket().drop(1006)
  const second = h.statuses.at(-1)
  t.ok(second?.phase === 'retrying' && second.delayMs >= 500 && second.delayMs <= 1000, 'the second failure waits longer')
})

t.test('a refused token is replaced at once; signed out stops for good', async (t) => {
  const h = harness()
  const first = await connected(h, 5)
  first.drop(4401)
  h.timers.advance(0)
  await settle()
  t.same(h.tokensAsked, [false, true], 'a fresh token is asked for')
  h.socket().open()
  t.same(h.socket().sentOf('hello')[0]?.token, 'fresh-token')

  let calls = 0
  const out = harness({
    token: async () => {
      calls++
      throw new SignedOutError()
    },
  })
  out.connection.start()
  await settle()
  t.same(out.statuses.at(-1), { phase: 'stopped', reason: 'signed-out' })
  out.timers.advance(60_000)
  await settle()
  t.equal(calls, 1, 'no more attempts')
  t.equal(out.sockets.length, 0)
})

t.test('a token that cannot be fetched (web server unreachable) is retried with backoff', async (t) => {
  let attempts = 0
  const h = harness({
    token: async () => {
      if (++attempts === 1) throw new Error('fetch failed')
      return 'token'
    },
  })
  h.connection.start()
  await settle()
  t.equal(h.statuses.at(-1)?.phase, 'retrying')
  h.timers.advance(500)
  await settle()
  t.equal(h.sockets.length, 1)
})

t.test('an unknown session stops the connection and fails pending commands', async (t) => {
  const h = harness()
  h.connection.start()
  await settle()
  const pending = h.connection.command({ type: 'chat', text: 'hi', videoPosition: 0 })
  h.socket().open()
  h.socket().drop(4404)
  t.same(h.statuses.at(-1), { phase: 'stopped', reason: 'not-found' })
  t.same(await pending, { ok: false, code: 'closed', message: 'not connected to the session' })
  h.timers.advance(60_000)
  await settle()
  t.equal(h.sockets.length, 1, 'no reconnect')
  t.same(await h.connection.command({ type: 'pause', position: 1 }), {
    ok: false,
    code: 'closed',
    message: 'not connected to the session',
  })
})

t.test('commands are acknowledged by id and re-sent (same id) after a reconnect', async (t) => {
  const h = harness()
  h.connection.start()
  await settle()
  const early = h.connection.command({ type: 'chat', text: 'before welcome', videoPosition: 0 })
  h.socket().open()
  t.same(h.socket().sentOf('command'), [], 'nothing but hello before the welcome')
  h.socket().receive(welcome(3))
  t.same(h.socket().sentOf('command').map((c) => c.id), ['cmd-1'], 'queued commands go out after the welcome')
  h.socket().receive({ type: 'ack', id: 'cmd-1', revision: 4 })
  t.same(await early, { ok: true, revision: 4 })

  const chatting = h.connection.command({ type: 'chat', text: 'lost ack', videoPosition: 1 })
  const pausing = h.connection.command({ type: 'pause', position: 1 })
  t.same(h.socket().sentOf('command').map((c) => c.id), ['cmd-1', 'cmd-2', 'cmd-3'])
  h.socket().receive({ type: 'reject', id: 'cmd-3', code: 'not_host', message: 'only the host controls playback' })
  t.same(await pausing, { ok: false, code: 'not_host', message: 'only the host controls playback' })

  h.socket().drop(1001)
  h.timers.advance(500)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(5))
  t.same(
    h.socket().sentOf('command'),
    [{ type: 'command', id: 'cmd-2', command: { type: 'chat', text: 'lost ack', videoPosition: 1 } }],
    'the unanswered command is sent again with its id',
  )
  h.socket().receive({ type: 'ack', id: 'cmd-2', revision: 5 })
  t.same(await chatting, { ok: true, revision: 5 })
})

t.test('playback commands older than a few seconds are not replayed after a reconnect', async (t) => {
  const h = harness()
  await connected(h, 3)
  const seeking = h.connection.command({ type: 'seek', position: 40 })
  const chatting = h.connection.command({ type: 'chat', text: 'still wanted', videoPosition: 1 })
  h.socket().drop(1006)
  h.timers.advance(8_000)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(3))
  t.same(h.socket().sentOf('command').map((c) => c.command.type), ['chat'])
  t.match(await seeking, { ok: false, code: 'stale' })
  h.socket().receive({ type: 'ack', id: 'cmd-2', revision: 4 })
  t.same(await chatting, { ok: true, revision: 4 })
})

t.test('history pages are asked for one at a time, and again after a reconnect', async (t) => {
  const h = harness()
  await connected(h, 300)
  const newest = h.connection.history(undefined, 200)
  const older = h.connection.history(101, 200)
  t.same(h.socket().sentOf('history'), [{ type: 'history', limit: 200 }], 'one request in flight')
  h.socket().receive({ type: 'history', events: [{ revision: 300, event: chat('a', 1) }], hasMore: true })
  t.equal((await newest).events.length, 1)
  t.same(h.socket().sentOf('history').at(-1), { type: 'history', before: 101, limit: 200 }, 'then the next')
  h.socket().drop(1006)
  h.timers.advance(500)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(300))
  t.same(h.socket().sentOf('history'), [{ type: 'history', before: 101, limit: 200 }], 'the unanswered request is repeated')
  h.socket().receive({ type: 'history', events: [], hasMore: false })
  t.same(await older, { type: 'history', events: [], hasMore: false })
})

t.test('scrub and report frames only go out on an open socket', async (t) => {
  const h = harness()
  h.connection.start()
  await settle()
  h.connection.scrub(12)
  h.connection.report(3, true)
  h.socket().open()
  h.socket().receive(welcome(1))
  h.connection.scrub(12.5)
  h.connection.report(3.2, false)
  t.same(h.socket().sentOf('scrub'), [{ type: 'scrub', position: 12.5 }])
  t.same(h.socket().sentOf('report'), [{ type: 'report', position: 3.2, buffering: false }])
})

t.test('a socket that goes silent after a ping is given up and replaced', async (t) => {
  const h = harness()
  const socket = await connected(h, 1)
  socket.receive({ type: 'pong', t0: 0, t1: 0, t2: 0 })
  h.timers.advance(9_000)
  t.equal(h.sockets.length, 1, 'pings keep going while nothing answers for a while')
  h.timers.advance(1_500)
  t.same(socket.closedWith?.code, 4001)
  t.equal(h.statuses.at(-1)?.phase, 'retrying')
})

t.test('frames that are not JSON are ignored', async (t) => {
  const h = harness()
  const socket = await connected(h, 1)
  socket.receive('not json')
  socket.receive(eventFrame(2, chat('fine', 0)))
  t.equal(h.events.length, 1)
})

t.test('retryNow skips the rest of the backoff; stop closes for good', async (t) => {
  const h = harness()
  const socket = await connected(h, 1)
  socket.drop(1006)
  h.connection.retryNow()
  await settle()
  t.equal(h.sockets.length, 2, 'reconnected without waiting')
  h.socket().open()
  h.socket().receive(welcome(1))
  h.connection.stop()
  t.same(h.socket().closedWith, { code: 1000, reason: 'page closed' })
  t.same(h.statuses.at(-1), { phase: 'stopped', reason: 'closed' })
  h.socket().drop(1000)
  h.timers.advance(60_000)
  await settle()
  t.equal(h.sockets.length, 2)
})

t.test('the sync engine is a clock estimator: pongs set its offset', async (t) => {
  const timers = new FakeTimers(1_000)
  const engine = new SyncEngine(timers.clock)
  const h = harness({ clock: engine })
  const socket = await connected(h, 1)
  const ping = socket.sentOf('ping')[0]!
  // server clock 5 s ahead, 10 ms each way
  socket.receive({ type: 'pong', t0: ping.t0, t1: ping.t0 + 5_010, t2: ping.t0 + 5_010 })
  t.equal(engine.offset.sampleCount, 1)
  t.ok(engine.offset.estimate !== undefined)
})
