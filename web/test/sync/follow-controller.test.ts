import t from 'tap'
import { DEFAULT_BANDS } from '../../src/lib/sync/drift-bands.ts'
import type { MediaAction } from '../../src/lib/sync/sync-decision.ts'
import { FollowController } from '../../src/lib/sync/follow-controller.ts'
import { media, paused, playing } from '../fixtures/sync-targets.ts'

const types = (actions: MediaAction[]) => actions.map((a) => a.type)

t.test('a new playing state is followed once: moved if far, started, at the session rate', async (t) => {
  const c = new FollowController({}, () => 0.1)
  const d = c.tick(0, playing(30, 1, 1.5), media(0, { paused: true }))
  t.same(d.actions, [{ type: 'seek', position: 30 + 0.1 * 1.5 }, { type: 'rate', rate: 1.5 }, { type: 'play' }])
  t.equal(d.status, 'off', 'never claims to be in sync')
  t.equal(d.mode, 'off')
})

t.test('drift is never corrected: no nudge, no trim, no seek below a jump', async (t) => {
  const c = new FollowController()
  c.tick(0, playing(10), media(10))
  // the element creeps ahead and behind; nothing is done about it, however long it lasts
  for (const [now, drift] of [[250, 0.03], [5_000, 0.2], [20_000, -0.35], [60_000, 5]] as const) {
    const d = c.tick(now, playing(10 + now / 1000), media(10 + now / 1000 + drift))
    t.same(d.actions, [], `drift ${drift} s at ${now} ms: left alone`)
    t.ok(Math.abs(d.drift - drift) < 1e-9, "and reported as drift")
  }
})

t.test('a new state with a small difference moves nothing (a rate change is not a jump)', async (t) => {
  const c = new FollowController()
  c.tick(0, playing(10), media(10))
  const d = c.tick(1000, playing(11, 2, 2), media(11.15))
  t.same(d.actions, [{ type: 'rate', rate: 2 }], 'exactly the new rate, not a corrected one')
})

t.test('a jump by someone is followed, with the seek latency compensated', async (t) => {
  const c = new FollowController({}, () => 0.2)
  c.tick(0, playing(10), media(10))
  const d = c.tick(1000, playing(120, 2), media(11))
  t.same(d.actions, [{ type: 'seek', position: 120.2 }])
  t.same(c.tick(1250, playing(120.25, 2), media(120.3, { seeking: true })).actions, [], 'once')
})

t.test('the element plays at exactly the session rate, whatever rate it was left at', async (t) => {
  const c = new FollowController()
  c.tick(0, playing(10), media(10))
  // e.g. a nudge of the drift controller when auto-sync was switched off
  t.same(c.tick(250, playing(10.25), media(10.3, { playbackRate: 0.96 })).actions, [{ type: 'rate', rate: 1 }])
  t.same(c.tick(500, playing(10.5), media(10.55, { playbackRate: 1 })).actions, [])
  t.same(c.tick(750, paused(10.7, 2, 1.25), media(10.7, { paused: true, playbackRate: 1.0125 })).actions, [{ type: 'rate', rate: 1.25 }])
})

t.test('paused: the element pauses and is aligned once per shared state', async (t) => {
  const c = new FollowController()
  c.tick(0, playing(10), media(10))
  t.same(types(c.tick(1000, paused(11, 2), media(11.3)).actions), ['pause', 'seek'])
  t.same(c.tick(1250, paused(11, 2), media(11.04, { paused: true })).actions, [], 'a frame off: not seeked again')
  t.same(c.tick(1500, paused(11, 2), media(11.04)).actions, [{ type: 'pause' }], 'kept paused')
})

t.test('a refused start is asked for again after playRetryMs, without moving the element', async (t) => {
  const c = new FollowController()
  t.same(types(c.tick(0, playing(10), media(0, { paused: true })).actions), ['seek', 'play'])
  t.same(c.tick(DEFAULT_BANDS.playRetryMs - 1, playing(12), media(10, { paused: true })).actions, [])
  t.same(c.tick(DEFAULT_BANDS.playRetryMs, playing(12), media(10, { paused: true })).actions, [{ type: 'play' }])
})

t.test('adopt: a state the element is already on is not followed again', async (t) => {
  const c = new FollowController()
  c.adopt(7)
  t.same(c.tick(0, playing(100, 7), media(99.5)).actions, [], 'switched off 0.5 s behind: stays there')
  t.same(types(c.tick(250, playing(50, 8), media(99.75)).actions), ['seek'], 'the next jump is followed')
})

t.test('new media follows the shared state afresh (auto-sync off, a source change)', async (t) => {
  const c = new FollowController({}, () => 0.1)
  c.tick(0, playing(37), media(37))
  t.same(types(c.tick(250, playing(37.25), media(0, { paused: true })).actions), ['play'], 'the state was followed already: not moved')
  c.onNewMedia()
  t.same(types(c.tick(500, playing(37.5), media(0, { paused: true })).actions), ['seek', 'play'])
})
