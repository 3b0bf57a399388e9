import t from 'tap'
import { SESSION_SOCKET_CLOSE } from '@tandem/contracts'
import { CLOSE_NORMAL, reconnectDelay, reconnectPlan } from '../../src/lib/live/backoff.ts'

const { unauthenticated, sessionNotFound, abuse, rateLimited, slowConsumer, tooManySockets, goingAway, draining } = SESSION_SOCKET_CLOSE

t.test('delays double up to the cap', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 10].map((n) => reconnectDelay(n, 0)), [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000])
})

t.test('jitter spreads each delay over [d/2, d]', async (t) => {
  t.equal(reconnectDelay(3, 0), 4000)
  t.equal(reconnectDelay(3, 0.5), 3000)
  t.equal(reconnectDelay(3, 0.999999), 2000)
  for (let i = 0; i < 200; i++) {
    const d = reconnectDelay(2, Math.random())
    t.ok(d >= 1000 && d <= 2000)
  }
})

t.test('odd inputs stay sane', async (t) => {
  t.equal(reconnectDelay(-3, 0), 500)
  t.equal(reconnectDelay(2.7, 0), 2000)
  t.equal(reconnectDelay(1, 7), 500, 'random is clamped to [0, 1]')
})

t.test('close codes decide what happens next', async (t) => {
  t.same(reconnectPlan(1006, 0, 0), { action: 'retry', delayMs: 500 })
  t.same(reconnectPlan(goingAway, 2, 0), { action: 'retry', delayMs: 2000 })
  t.same(reconnectPlan(unauthenticated, 0, 0), { action: 'reauthenticate', delayMs: 0 })
  t.same(reconnectPlan(unauthenticated, 2, 0), { action: 'reauthenticate', delayMs: 1000 })
  t.same(reconnectPlan(sessionNotFound, 0, 0), { action: 'stop', reason: 'not-found' })
  t.same(reconnectPlan(CLOSE_NORMAL, 0, 0), { action: 'stop', reason: 'closed' })
  for (const code of [abuse, rateLimited, slowConsumer, tooManySockets]) {
    t.same(reconnectPlan(code, 1, 0), { action: 'retry', delayMs: 1000 }, `${code}: back off, then resume with since`)
  }
  // the user's other sockets hold every slot: the retries slow down to the cap until one closes
  t.same(reconnectPlan(tooManySockets, 8, 0), { action: 'retry', delayMs: 15_000 })
})

t.test('a draining replica hands the socket over: reconnect at once, jittered up to 250 ms, whatever the failures before', async (t) => {
  t.same(reconnectPlan(draining, 0, 0), { action: 'handover', delayMs: 0 })
  t.same(reconnectPlan(draining, 7, 0.5), { action: 'handover', delayMs: 125 })
  t.same(reconnectPlan(draining, 3, 0.999999), { action: 'handover', delayMs: 250 })
  t.same(reconnectPlan(draining, 0, 5), { action: 'handover', delayMs: 250 }, 'random is clamped to [0, 1]')
  for (let i = 0; i < 100; i++) {
    const plan = reconnectPlan(draining, i, Math.random())
    t.ok(plan.action === 'handover' && plan.delayMs >= 0 && plan.delayMs <= 250)
  }
})
