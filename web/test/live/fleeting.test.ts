import t from 'tap'
import { Fleeting } from '../../src/lib/live/fleeting.ts'
import { floatLane, isLiveEvent } from '../../src/lib/live/reaction-floats.ts'
import type { Timers } from '../../src/lib/live/timers.ts'

/** Timers that fire when the test says how much time passed. */
function fakeTimers() {
  let now = 0
  const pending = new Map<number, { at: number; callback: () => void }>()
  let next = 1
  const timers: Timers = {
    setTimeout(callback, ms) {
      pending.set(next, { at: now + ms, callback })
      return next++
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  const advance = (ms: number) => {
    now += ms
    for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > now) continue
      pending.delete(handle)
      timer.callback()
    }
  }
  return { timers, advance, pending: () => pending.size }
}

t.test('an item leaves by itself after its lifetime', async (t) => {
  const clock = fakeTimers()
  let shown: string[] = []
  const list = new Fleeting<string>({ timers: clock.timers, lifetimeMs: 2_000, limit: 5, onChange: (items) => (shown = items.map((i) => i.value)) })
  list.add('👍')
  clock.advance(1_000)
  list.add('🎉')
  t.same(shown, ['👍', '🎉'])
  clock.advance(1_000)
  t.same(shown, ['🎉'], 'the first left 2 s after it came')
  clock.advance(1_000)
  t.same(shown, [])
  t.equal(clock.pending(), 0)
})

t.test('past the limit the oldest leaves at once; ids stay unique', async (t) => {
  const clock = fakeTimers()
  let shown: { id: number; value: number }[] = []
  const list = new Fleeting<number>({ timers: clock.timers, lifetimeMs: 2_000, limit: 2, onChange: (items) => (shown = items) })
  const ids = [1, 2, 3].map((n) => list.add(n))
  t.same(shown.map((i) => i.value), [2, 3])
  t.equal(new Set(ids).size, 3)
  t.equal(clock.pending(), 2, 'the timer of the one pushed out is gone')
  list.clear()
  t.same(shown, [])
  t.equal(clock.pending(), 0)
})

t.test('only fresh events are shown as happening now', async (t) => {
  t.ok(isLiveEvent(10_000, 10_400))
  t.ok(isLiveEvent(10_000, 9_900), 'a clock estimate a little behind the stamp')
  t.notOk(isLiveEvent(10_000, 60_000), 'replayed after a reconnect')
})

t.test('reactions float up at spread-out places within the video', async (t) => {
  const lanes = Array.from({ length: 8 }, (_, i) => floatLane(i + 1))
  t.ok(lanes.every((lane) => lane >= 15 && lane <= 85), lanes.join(' '))
  t.ok(new Set(lanes).size >= 7, 'eight reactions in a row mostly at different places')
})
