import t from 'tap'
import { SignedOutError } from '../../src/lib/live/token-source.ts'
import { settle } from '../fixtures/fake-timers.ts'
import { connected, harness } from '../fixtures/connection-harness.ts'
import { eventFrame, played, welcome } from '../fixtures/session-frames.ts'

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

t.test('a draining replica’s 4503 reconnects at once with since, and is not counted as a failure', async (t) => {
  const h = harness()
  await connected(h, 5)
  // two failures in a row first: the backoff has grown
  h.socket().drop(1006)
  h.timers.advance(500)
  await settle()
  h.socket().drop(1006)
  const grown = h.statuses.at(-1)
  t.ok(grown?.phase === 'retrying' && grown.failures === 2, 'two failures counted')
  h.timers.advance(1000)
  await settle()
  h.socket().open()
  h.socket().drop(4503)
  const handover = h.statuses.at(-1)
  t.ok(handover?.phase === 'retrying' && handover.delayMs <= 250, `retried within 250 ms (${JSON.stringify(handover)})`)
  t.equal(handover?.phase === 'retrying' ? handover.failures : -1, 0, 'the failure count starts over')
  h.timers.advance(250)
  await settle()
  h.socket().open()
  t.same(h.socket().sentOf('hello'), [{ type: 'hello', token: 'page-token', since: 5 }], 'resumes with since')
  // the replica it lands on fails before the welcome: backoff as for a first failure
  h.socket().drop(1006)
  const next = h.statuses.at(-1)
  t.ok(next?.phase === 'retrying' && next.delayMs <= 500, `a later failure backs off as the first one (${JSON.stringify(next)})`)
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
