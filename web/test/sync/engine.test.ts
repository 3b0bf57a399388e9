import t from 'tap'
import { ManualClock } from '../../src/lib/sync/clock.ts'
import { SyncEngine } from '../../src/lib/sync/engine.ts'

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
