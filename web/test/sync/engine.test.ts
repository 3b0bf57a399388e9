import t from 'tap'
import { ManualClock } from '../../src/lib/sync/clock.ts'
import { SyncEngine } from '../../src/lib/sync/engine.ts'
import { applyActions } from '../../src/lib/sync/media-element.ts'
import { FakeMediaElement, asMediaElement } from '../fixtures/fake-media.ts'
import { seededRandom } from '../fixtures/random.ts'

const media = (currentTime: number, paused = false) => ({
  currentTime,
  paused,
  playbackRate: 1,
  seeking: false,
  buffering: false,
})

t.test('nothing to do before the shared state is known', async (t) => {
  const engine = new SyncEngine(new ManualClock(0))
  t.equal(engine.tick(media(0)), undefined)
  t.equal(engine.expectedPosition(), undefined)
})

t.test('welcome: rough offset from serverTime, then pongs refine it', async (t) => {
  // local clock 5 s behind the server, 20 ms each way
  const clock = new ManualClock(1_000)
  {
    const engine = new SyncEngine(clock)
    clock.set(1_020) // welcome sent at server 6_000, received at local 1_020
    engine.onWelcome(6_000, { status: 'playing', position: 10, rate: 1, at: 5_000 })
    t.equal(engine.serverNow(), 6_000, 'seed is off by the one-way delay')
    const { t0 } = engine.ping()
    clock.advance(40)
    t.ok(engine.onPong({ t0, t1: t0 + 5_000 + 20, t2: t0 + 5_000 + 20 }))
    t.equal(engine.serverNow(), 1_060 + 5_000)
    t.equal(engine.expectedPosition(), 10 + (6_060 - 5_000) / 1000)
    t.equal(engine.nextPingDelay(), 300, 'still in the quick burst')
  }
})

t.test('tick drives the controller with the expected position and a version per state', async (t) => {
  const clock = new ManualClock(0)
  const engine = new SyncEngine(clock)
  engine.onWelcome(0, { status: 'paused', position: 30, rate: 1, at: 0 })
  const first = engine.tick(media(30, true))
  t.same(first?.actions, [])
  t.equal(first?.status, 'in-sync')
  clock.advance(1000)
  engine.onPlayback({ status: 'playing', position: 30, rate: 1, at: 1000 })
  t.same(engine.tick(media(30, true))?.actions, [{ type: 'play' }])
  clock.advance(2000)
  engine.onPlayback({ status: 'playing', position: 300, rate: 1, at: 3000 })
  const seek = engine.tick(media(32))?.actions.find((a) => a.type === 'seek')
  t.ok(seek?.type === 'seek' && seek.position > 300, 'a seek by someone else is followed')
})

t.test('an event stamped ahead of the estimated server clock is aimed at its own position', async (t) => {
  // The offset estimate is tens of ms off at first, so a fresh event can look as if it happened
  // in the future. Counting that time as none keeps the target at the event's position: counting
  // it backwards would ask the element to sit (or seek) a little before where everyone is.
  const clock = new ManualClock(1_000)
  const engine = new SyncEngine(clock)
  engine.onWelcome(1_000, { status: 'playing', position: 10, rate: 1, at: 1_000 })
  engine.onPlayback({ status: 'playing', position: 42, rate: 2, at: 1_080 })
  t.equal(engine.serverNow(), 1_000)
  t.equal(engine.target()?.position, 42, 'not 41.84')
  clock.advance(580)
  t.equal(engine.expectedPosition(), 42 + 0.5 * 2, 'from `at` on it moves at the session rate')
})

t.test('at the end of the video the last frame is held, never restarted', async (t) => {
  const clock = new ManualClock(0)
  const engine = new SyncEngine(clock)
  engine.onWelcome(0, { status: 'playing', position: 58, rate: 1, at: 0 })
  clock.advance(5000)
  t.same(engine.target(60), { status: 'paused', position: 60, rate: 1, version: 1 })
  const d = engine.tick(media(60, true), 60)
  t.notOk(d?.actions.some((a) => a.type === 'play'))
})

t.test('a reconnect keeps the clock estimate and the shared position meanwhile', async (t) => {
  const clock = new ManualClock(0)
  const engine = new SyncEngine(clock)
  engine.onWelcome(0, { status: 'playing', position: 100, rate: 1, at: 0 })
  const { t0 } = engine.ping()
  clock.advance(10)
  engine.onPong({ t0, t1: 5, t2: 5 })
  clock.advance(10_000)
  const before = engine.expectedPosition()
  engine.onReconnect()
  t.equal(engine.expectedPosition(), before, 'not 0:00, not a jump')
  t.equal(engine.nextPingDelay(), 0, 'a new burst of pings starts at once')
})

t.test('auto-sync off: a rate change is followed at exactly the new rate, the drift is left alone', async (t) => {
  const clock = new ManualClock(0)
  const engine = new SyncEngine(clock, { autoSync: false })
  engine.onWelcome(0, { status: 'playing', position: 10, rate: 1, at: 0 })
  // 100 ms ahead: the drift controller would nudge this (play ~7 % slower)
  t.match(engine.tick(media(10.1)), { actions: [], status: 'off', mode: 'off' }, 'no nudge, and no claim to be in sync')
  clock.advance(1000)
  engine.onPlayback({ status: 'playing', position: 11, rate: 1.5, at: 1000 })
  t.same(engine.tick(media(11.1))?.actions, [{ type: 'rate', rate: 1.5 }], 'the session rate, not 1.5 × (1 − nudge)')
  t.equal(engine.mode, 'off')
})

t.test('switching auto-sync off drops a running correction; switching it on corrects at once', async (t) => {
  const clock = new ManualClock(0)
  const engine = new SyncEngine(clock)
  engine.onWelcome(0, { status: 'playing', position: 10, rate: 1, at: 0 })
  const nudge = engine.tick(media(10.1))?.actions.find((a) => a.type === 'rate')
  t.ok(nudge?.type === 'rate' && nudge.rate < 1, `auto-sync on: a nudge (${JSON.stringify(nudge)})`)
  const nudged = { ...media(10.1), playbackRate: nudge?.type === 'rate' ? nudge.rate : 1 }

  engine.setAutoSync(false)
  t.equal(engine.autoSync, false)
  t.same(engine.tick(nudged)?.actions, [{ type: 'rate', rate: 1 }], 'back to exactly the session rate')
  t.same(engine.tick(media(10.1))?.actions, [], 'and left there, 100 ms ahead: no jump either')

  engine.setAutoSync(true)
  clock.advance(250)
  const decision = engine.tick(media(10.85))
  t.ok(decision?.actions.some((a) => a.type === 'seek'), 'on again: 600 ms off is corrected without waiting for a new state')
  t.not(engine.mode, 'off', 'the drift controller drives the element again')
})

t.test('auto-sync off on an element with a speed error: always the session rate, only jumps seek', async (t) => {
  const clock = new ManualClock(0)
  const run = (autoSync: boolean) => {
    const engine = new SyncEngine(clock, { autoSync })
    const element = new FakeMediaElement(seededRandom(7), { hardwareRate: 1.005, slowSeekChance: 0 })
    const el = asMediaElement(element)
    clock.set(0)
    engine.onWelcome(0, { status: 'playing', position: 20, rate: 1, at: 0 })
    const rates = new Set<number>()
    let rateOff = 0
    let driftAfterJump = 0
    for (let now = 0; now <= 60_000; now += 250) {
      clock.set(now)
      element.advance(now === 0 ? 0 : 250)
      if (now === 20_000) engine.onPlayback({ status: 'playing', position: 40, rate: 1.25, at: now })
      if (now === 40_000) engine.onPlayback({ status: 'playing', position: 90, rate: 1.25, at: now })
      const decision = engine.tick(element.snapshot())
      if (decision) applyActions(el, decision.actions)
      rates.add(element.playbackRate)
      if (element.playbackRate !== engine.playback?.rate) rateOff++
      if (now === 41_000) driftAfterJump = element.position - (engine.expectedPosition() ?? 0)
    }
    const drift = element.position - (engine.expectedPosition() ?? 0)
    return { rates, rateOff, seeks: element.seeks, drift, growth: drift - driftAfterJump }
  }
  const off = run(false)
  t.same([...off.rates], [1, 1.25], 'the element only ever played at the session rates')
  t.equal(off.rateOff, 0, 'never at another rate after a tick')
  t.equal(off.seeks, 2, 'the join and the jump; the rate change and the drift moved nothing')
  t.ok(off.growth > 0.1, `the 0.5 % speed error was left to accumulate (+${(off.growth * 1000).toFixed(0)} ms in the last 19 s)`)
  const on = run(true)
  t.ok(on.rates.size > 2, `with auto-sync on the same element is nudged (${on.rates.size} rates)`)
  t.ok(Math.abs(on.drift) < 0.05, `and kept in sync (${(on.drift * 1000).toFixed(0)} ms)`)
})
