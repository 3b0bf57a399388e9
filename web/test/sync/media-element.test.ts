import t from 'tap'
import { applyActions, isBuffering, snapshotOf, type MediaElementLike } from '../../src/lib/sync/media-element.ts'

function element(over: Partial<MediaElementLike> = {}): MediaElementLike & { calls: string[] } {
  const calls: string[] = []
  return {
    currentTime: 0,
    playbackRate: 1,
    paused: true,
    seeking: false,
    readyState: 4,
    play() {
      calls.push('play')
    },
    pause() {
      calls.push('pause')
    },
    ...over,
    calls,
  }
}

t.test('actions are applied in order', async (t) => {
  const el = element()
  applyActions(el, [{ type: 'seek', position: 12.5 }, { type: 'rate', rate: 1.04 }, { type: 'play' }, { type: 'pause' }])
  t.equal(el.currentTime, 12.5)
  t.equal(el.playbackRate, 1.04)
  t.same(el.calls, ['play', 'pause'])
})

t.test('a refused play() is reported, not thrown', async (t) => {
  const refusal = new Error('NotAllowedError')
  const rejected: unknown[] = []
  const el = element({ play: () => Promise.reject(refusal) })
  applyActions(el, [{ type: 'play' }], (e) => rejected.push(e))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(rejected, [refusal])
  const throwing = element({
    play: () => {
      throw refusal
    },
  })
  applyActions(throwing, [{ type: 'play' }], (e) => rejected.push(e))
  t.equal(rejected.length, 2)
})

t.test('buffering: wants to play, not seeking, not enough data', async (t) => {
  t.ok(isBuffering(element({ paused: false, readyState: 2 })))
  t.notOk(isBuffering(element({ paused: true, readyState: 1 })))
  t.notOk(isBuffering(element({ paused: false, seeking: true, readyState: 1 })))
  t.notOk(isBuffering(element({ paused: false, readyState: 3 })))
  t.same(snapshotOf(element({ paused: false, readyState: 2, currentTime: 3 })), {
    currentTime: 3,
    paused: false,
    playbackRate: 1,
    seeking: false,
    buffering: true,
  })
})
