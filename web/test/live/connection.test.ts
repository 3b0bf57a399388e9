import t from 'tap'
import { SyncEngine } from '../../src/lib/sync/engine.ts'
import { FakeTimers, settle } from '../fixtures/fake-timers.ts'
import { URL, connected, harness } from '../fixtures/connection-harness.ts'
import { chat, eventFrame, paused, played, welcome } from '../fixtures/session-frames.ts'

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

t.test('frames that are not JSON are ignored', async (t) => {
  const h = harness()
  const socket = await connected(h, 1)
  socket.receive('not json')
  socket.receive(eventFrame(2, chat('fine', 0)))
  t.equal(h.events.length, 1)
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
