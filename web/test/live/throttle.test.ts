import t from 'tap'
import { Throttle } from '../../src/lib/live/throttle.ts'
import { FakeTimers } from '../fixtures/fake-timers.ts'

t.test('the first value at once, then the latest one per interval', async (t) => {
  const timers = new FakeTimers()
  const sent: number[] = []
  const throttle = new Throttle<number>(100, (v) => sent.push(v), timers, () => timers.clock.now())
  throttle.offer(1)
  t.same(sent, [1])
  throttle.offer(2)
  throttle.offer(3)
  t.same(sent, [1])
  timers.advance(99)
  t.same(sent, [1])
  timers.advance(1)
  t.same(sent, [1, 3], 'the trailing value is the latest')
  timers.advance(500)
  throttle.offer(4)
  t.same(sent, [1, 3, 4], 'after a quiet interval the next value goes at once')
})

t.test('cancel drops a waiting value', async (t) => {
  const timers = new FakeTimers()
  const sent: number[] = []
  const throttle = new Throttle<number>(100, (v) => sent.push(v), timers, () => timers.clock.now())
  throttle.offer(1)
  throttle.offer(2)
  throttle.cancel()
  timers.advance(1000)
  t.same(sent, [1])
  t.equal(timers.pending, 0)
})
