import t from 'tap'
import { DEFAULT_BANDS } from '../../src/lib/sync/drift-bands.ts'
import { DriftController } from '../../src/lib/sync/drift-controller.ts'
import type { MediaAction } from '../../src/lib/sync/sync-decision.ts'
import { media, paused, playing } from '../fixtures/sync-targets.ts'

const seekOf = (actions: MediaAction[]) => actions.find((a) => a.type === 'seek')
const rateOf = (actions: MediaAction[]) => actions.find((a) => a.type === 'rate')

t.test('tiny drift is ignored', async (t) => {
  const c = new DriftController()
  const d = c.tick(0, playing(100), media(100.015))
  t.same(d.actions, [])
  t.equal(d.status, 'in-sync')
  t.equal(d.mode, 'idle')
})

t.test('medium drift nudges the rate, both ways, within bounds', async (t) => {
  const ahead = new DriftController().tick(0, playing(100), media(100.1))
  const behind = new DriftController().tick(0, playing(100), media(99.9))
  t.equal(ahead.mode, 'nudging')
  const slower = rateOf(ahead.actions)
  const faster = rateOf(behind.actions)
  t.ok(slower?.type === 'rate' && slower.rate < 1 && slower.rate >= 1 - DEFAULT_BANDS.maxNudge, `ahead → ${JSON.stringify(slower)}`)
  t.ok(faster?.type === 'rate' && faster.rate > 1 && faster.rate <= 1 + DEFAULT_BANDS.maxNudge, `behind → ${JSON.stringify(faster)}`)
  const far = new DriftController().tick(0, playing(100), media(100.39))
  const bounded = rateOf(far.actions)
  t.ok(bounded?.type === 'rate' && Math.abs(bounded.rate - (1 - DEFAULT_BANDS.maxNudge)) < 1e-9, 'largest nudge is maxNudge')
  t.equal(seekOf(far.actions), undefined, 'no seek below seekEnter')
})

t.test('the nudge is relative to the session rate', async (t) => {
  const d = new DriftController().tick(0, playing(100, 1, 2), media(99.9, { playbackRate: 2 }))
  const r = rateOf(d.actions)
  t.ok(r?.type === 'rate' && r.rate > 2 && r.rate <= 2 * (1 + DEFAULT_BANDS.maxNudge))
})

t.test('hysteresis: a nudge runs until the drift is nearly gone, then stops', async (t) => {
  const c = new DriftController()
  c.tick(0, playing(100), media(100.03))
  t.equal(c.mode, 'nudging')
  // between exit and enter: still nudging (a new nudge would not have started here)
  const mid = c.tick(250, playing(100.25), media(100.26, { playbackRate: 0.98 }))
  t.equal(mid.mode, 'nudging')
  // crossed zero: stop, back to the plain rate
  const done = c.tick(500, playing(100.5), media(100.499, { playbackRate: 0.98 }))
  t.equal(done.mode, 'idle')
  t.same(rateOf(done.actions), { type: 'rate', rate: 1 })
  // and drift of the same size as `mid` does not start a new one
  const again = c.tick(750, playing(100.75), media(100.76))
  t.equal(again.mode, 'idle')
  t.same(again.actions, [])
})

t.test('large drift: a hard seek aimed ahead by the seek latency', async (t) => {
  const c = new DriftController()
  const d = c.tick(0, playing(100, 1, 1.5), media(98, { playbackRate: 1.5 }))
  const seek = seekOf(d.actions)
  t.ok(seek?.type === 'seek' && Math.abs(seek.position - (100 + DEFAULT_BANDS.initialSeekLatency * 1.5)) < 1e-9)
  t.equal(d.mode, 'seeking')
  t.equal(d.status, 'correcting')
  t.equal(c.stats.hardSeeks, 1)
})

t.test('nothing is done while a seek lands and during the settle window after it', async (t) => {
  const c = new DriftController()
  c.tick(0, playing(100), media(90))
  const landing = c.tick(250, playing(100.25), media(100.12, { seeking: true }))
  t.same(landing.actions, [])
  t.equal(landing.mode, 'seeking')
  // landed 300 ms behind: would be a nudge, but the element is settling
  const settling = c.tick(500, playing(100.5), media(100.2))
  t.same(settling.actions, [])
  t.equal(settling.mode, 'settling')
  const after = c.tick(500 + DEFAULT_BANDS.settleMs, playing(100.75), media(100.45))
  t.equal(after.mode, 'nudging', 'after settling, the leftover is nudged away, not seeked again')
  t.equal(c.stats.hardSeeks, 1)
})

t.test('the seek latency is learned from where seeks land', async (t) => {
  const c = new DriftController()
  let now = 0
  let position = 100
  for (let i = 0; i < 5; i++) {
    c.tick(now, playing(position, i + 1), media(position - 5))
    // every seek really takes 400 ms: the element lands (400 − estimate) ms behind
    const landedDrift = (c.seekLatency - 0.4) * 1
    now += 500
    position += 0.5
    c.tick(now, playing(position, i + 1), media(position + landedDrift))
    now += DEFAULT_BANDS.settleMs
    position += DEFAULT_BANDS.settleMs / 1000
    c.tick(now, playing(position, i + 1), media(position + landedDrift))
    now += 10_000
    position += 10
  }
  t.ok(Math.abs(c.seekLatency - 0.4) < 0.01, `learned ${c.seekLatency}`)
})

t.test('one slow seek does not spoil the latency estimate', async (t) => {
  const c = new DriftController()
  const latencies = [0.1, 0.1, 0.1, 1.0, 0.1]
  let now = 0
  let position = 100
  latencies.forEach((latency, i) => {
    c.tick(now, playing(position, i + 1), media(position - 5))
    const landedDrift = c.seekLatency - latency
    now += 1000
    position += 1
    c.tick(now, playing(position, i + 1), media(position + landedDrift))
    now += DEFAULT_BANDS.settleMs
    position += DEFAULT_BANDS.settleMs / 1000
    c.tick(now, playing(position, i + 1), media(position + landedDrift))
    now += 10_000
    position += 10
  })
  t.ok(Math.abs(c.seekLatency - 0.1) < 0.01, `estimate ${c.seekLatency} is the median`)
})

t.test('repeated corrective seeks back off; a new shared state may seek at once', async (t) => {
  const c = new DriftController()
  const seekTimes: number[] = []
  // an element that never catches up (say its seeks keep landing in unbuffered data)
  for (let now = 0; now < 30_000; now += 250) {
    const d = c.tick(now, playing(100 + now / 1000), media(100 + now / 1000 - 2))
    if (seekOf(d.actions)) seekTimes.push(now)
  }
  const gaps = seekTimes.slice(1).map((time, i) => time - (seekTimes[i] as number))
  t.ok(seekTimes.length <= 6, `${seekTimes.length} seeks in 30 s`)
  t.ok(gaps.every((gap, i) => i === 0 || gap >= (gaps[i - 1] as number)), `gaps grow: ${gaps}`)
  const fresh = c.tick(30_000, playing(500, 2), media(130))
  t.ok(seekOf(fresh.actions), 'a seek by someone in the room is followed immediately')
})

t.test('a new shared state redirects a seek that is still landing', async (t) => {
  const c = new DriftController()
  c.tick(0, playing(100), media(90))
  const d = c.tick(100, playing(300, 2), media(100.12, { seeking: true }))
  const seek = seekOf(d.actions)
  t.ok(seek?.type === 'seek' && seek.position > 300)
})

t.test('buffering: no chasing while the element has no data', async (t) => {
  const c = new DriftController()
  c.tick(0, playing(100), media(100))
  for (let now = 250; now <= 3000; now += 250) {
    const d = c.tick(now, playing(100 + now / 1000), media(100.2, { buffering: true }))
    t.same(d.actions, [], `t=${now}`)
    t.equal(d.status, 'buffering')
  }
  // data is back: first settle, then one seek to catch up the 3 s
  const resumed = c.tick(3250, playing(103.25), media(100.2))
  t.same(resumed.actions, [])
  t.equal(resumed.mode, 'settling')
  const caughtUp = c.tick(3250 + DEFAULT_BANDS.settleMs, playing(103.25 + DEFAULT_BANDS.settleMs / 1000), media(100.45))
  t.ok(seekOf(caughtUp.actions))
  t.equal(c.stats.hardSeeks, 1)
})

t.test('paused: the element is paused and put on the shared frame, once', async (t) => {
  const c = new DriftController()
  const first = c.tick(0, paused(42), media(42.3, { playbackRate: 1.04 }))
  t.same(first.actions, [{ type: 'pause' }, { type: 'rate', rate: 1 }, { type: 'seek', position: 42 }])
  t.equal(first.status, 'correcting')
  // an element that snaps to a frame slightly off is left there
  const second = c.tick(250, paused(42), media(42.03, { paused: true }))
  t.same(second.actions, [])
  t.equal(second.status, 'in-sync')
  const tiny = new DriftController().tick(0, paused(42), media(42.01, { paused: true }))
  t.same(tiny.actions, [], 'within a frame: no seek')
})

t.test('play: started once, seeked first when far (invisible while paused), retried if ignored', async (t) => {
  const c = new DriftController()
  const start = c.tick(0, playing(600), media(0, { paused: true }))
  t.same(
    start.actions.map((a) => a.type),
    ['seek', 'play'],
  )
  t.same(c.tick(250, playing(600.25), media(600.12, { paused: true })).actions, [], 'no play() spam')
  const retry = c.tick(DEFAULT_BANDS.playRetryMs, playing(602), media(600.12, { paused: true }))
  t.ok(retry.actions.some((a) => a.type === 'play'))
  const near = new DriftController().tick(0, playing(10), media(10.01, { paused: true }))
  t.same(near.actions, [{ type: 'play' }], 'close enough: just play')
})

t.test('the rate trim learns a steady speed error and stops the sawtooth', async (t) => {
  const c = new DriftController()
  // an element that really plays 0.3 % fast
  let position = 100
  let rate = 1
  let rateChanges = 0
  let lateRateChanges = 0
  for (let now = 0; now <= 300_000; now += 250) {
    const expected = 100 + now / 1000
    const d = c.tick(now, playing(expected), media(position, { playbackRate: rate }))
    for (const a of d.actions) {
      if (a.type === 'rate') {
        rate = a.rate
        rateChanges++
        if (now > 120_000) lateRateChanges++
      }
    }
    position += 0.25 * rate * 1.003
  }
  t.ok(Math.abs(c.rateTrim + 0.003) < 0.0005, `trim ${c.rateTrim}`)
  t.ok(lateRateChanges <= 4, `${lateRateChanges} rate changes in the last 3 minutes (${rateChanges} in all)`)
  t.equal(c.stats.hardSeeks, 0)
})

t.test('new media: the paused alignment is made again on it, though the shared state is the same', async (t) => {
  const c = new DriftController()
  t.same(seekOf(c.tick(0, paused(37), media(0, { paused: true })).actions), { type: 'seek', position: 37 })
  // the element was given another file (same item re-opened, or a new source): it is at 0 again
  t.same(c.tick(250, paused(37), media(0, { paused: true })).actions, [], 'one alignment per shared state')
  c.onNewMedia()
  t.same(seekOf(c.tick(500, paused(37), media(0, { paused: true })).actions), { type: 'seek', position: 37 }, 'the new media is aligned')
})

t.test('new media: a play asked of the old media does not delay starting the new one', async (t) => {
  const c = new DriftController()
  t.ok(c.tick(0, playing(5), media(5, { paused: true })).actions.some((a) => a.type === 'play'))
  // the source changes before the play took effect; the new media's metadata arrives 300 ms later
  t.same(c.tick(300, playing(0.3, 2), media(0, { paused: true })).actions, [], 'without a reset: waits for the retry')
  c.onNewMedia()
  const d = c.tick(300, playing(0.3, 2), media(0, { paused: true }))
  t.same(d.actions.map((a) => a.type), ['seek', 'play'], 'landed where the room is, then started')
  t.equal(d.status, 'correcting')
})
