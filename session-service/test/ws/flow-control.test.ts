import t from 'tap'
import { StrikeCounter, TokenBucket, TrailingThrottle } from '../../src/ws/flow-control.ts'

t.test('token bucket: a burst, then the refill rate', async (t) => {
  let now = 0
  const bucket = new TokenBucket(3, 2, () => now)
  t.same([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false])
  now += 500
  t.same([bucket.take(), bucket.take()], [true, false], 'one token per 500 ms')
  now += 10_000
  t.same([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false], 'never more than the burst')
})

t.test('strike counter: over the limit within the window', async (t) => {
  let now = 0
  const strikes = new StrikeCounter(2, 1000, () => now)
  t.same([strikes.record(), strikes.record(), strikes.record()], [false, false, true])
  now += 1500
  t.equal(strikes.record(), false, 'old strikes expire')
})

t.test('trailing throttle: first at once, then the latest once per interval', async (t) => {
  const sent: number[] = []
  const throttle = new TrailingThrottle<number>(40, (v) => sent.push(v), Date.now)
  for (let i = 0; i < 100; i++) throttle.offer(i)
  t.same(sent, [0])
  await new Promise((r) => setTimeout(r, 80))
  t.same(sent, [0, 99], 'the last value offered arrives')
  await new Promise((r) => setTimeout(r, 50))
  throttle.offer(100)
  throttle.offer(101)
  throttle.cancel()
  await new Promise((r) => setTimeout(r, 80))
  t.same(sent, [0, 99, 100], 'cancel drops the value still waiting')
})
