import t from 'tap'
import { ClockOffsetEstimator, nextPingDelay, sampleOffset } from '../../src/lib/sync/clock-offset.ts'

/** A ping between a client whose clock is `offset` ms behind the server, with given one-way delays. */
function ping(localSend: number, offset: number, out: number, back: number, serverWork = 1) {
  const t0 = localSend
  const t1 = localSend + offset + out
  const t2 = t1 + serverWork
  const t3 = t2 - offset + back
  return { t0, t1, t2, t3 }
}

t.test('one sample: NTP offset and round trip', async (t) => {
  const s = sampleOffset({ t0: 1000, t1: 5020, t2: 5021, t3: 1041 })
  t.equal(s.offset, (5020 - 1000 + (5021 - 1041)) / 2)
  t.equal(s.rtt, 41 - 1)
  // symmetric delays give the exact offset
  t.equal(sampleOffset(ping(0, 4000, 15, 15)).offset, 4000)
  // all asymmetry on one leg: error is half the round trip
  t.equal(sampleOffset(ping(0, 4000, 30, 0)).offset, 4015)
})

t.test('impossible samples are refused', async (t) => {
  const e = new ClockOffsetEstimator()
  t.notOk(e.add({ t0: 10, t1: 0, t2: 0, t3: 5 }), 'pong received before the ping was sent')
  t.notOk(e.add({ t0: 0, t1: 10, t2: 5, t3: 20 }), 'server sent before it received')
  t.notOk(e.add({ t0: 0, t1: Number.NaN, t2: 1, t3: 2 }), 'not a number')
  t.equal(e.estimate, undefined)
  t.equal(e.sampleCount, 0)
})

t.test('lowest round trip wins among recent samples', async (t) => {
  const e = new ClockOffsetEstimator({ strategy: 'lowest-rtt' })
  e.add(ping(0, 4000, 80, 10)) // off by +35
  e.add(ping(100, 4000, 3, 5)) // off by −1
  e.add(ping(200, 4000, 10, 60)) // off by −25
  t.equal(e.estimate?.offset, 3999)
  // rtt / 2, plus a little for the 100 ms the clocks may have drifted since
  t.ok(Math.abs((e.estimate?.errorBound ?? 0) - 4) < 0.05)
  t.equal(e.serverNow(10_000), 13_999)
})

t.test('the intersection of the sample intervals beats the best single sample', async (t) => {
  // fast outbound in one ping, fast return in another: no single sample is good
  const samples = [ping(0, 4000, 2, 40), ping(300, 4000, 40, 2), ping(600, 4000, 30, 30)]
  const lowest = new ClockOffsetEstimator({ strategy: 'lowest-rtt' })
  const intersection = new ClockOffsetEstimator()
  for (const s of samples) {
    lowest.add(s)
    intersection.add(s)
  }
  const lowestError = Math.abs((lowest.estimate?.offset ?? 0) - 4000)
  const intersectionError = Math.abs((intersection.estimate?.offset ?? 0) - 4000)
  t.equal(lowestError, 19)
  t.ok(intersectionError < 0.5, `intersection error ${intersectionError} ms`)
  t.ok((intersection.estimate?.errorBound ?? Infinity) <= 2.1)
})

t.test('old samples lose to fresh ones once the clocks may have drifted', async (t) => {
  const e = new ClockOffsetEstimator({ strategy: 'lowest-rtt', maxClockDrift: 1e-4 })
  e.add(ping(0, 4000, 1, 1)) // rtt 2, but it will be 200 s old
  e.add(ping(200_000, 4020, 10, 10)) // rtt 20, fresh; the clocks did drift by 20 ms
  t.equal(e.estimate?.offset, 4020, 'a 200 s old sample carries ±20 ms of possible drift')
})

t.test('an inconsistent window falls back to the best sample', async (t) => {
  const e = new ClockOffsetEstimator({ maxClockDrift: 0 })
  e.add(ping(0, 4000, 2, 2))
  e.add(ping(100, 5000, 2, 2)) // the local clock was stepped by a second
  t.equal(e.estimate?.offset, 5000)
})

t.test('only the last `window` samples count', async (t) => {
  const e = new ClockOffsetEstimator({ window: 2, strategy: 'lowest-rtt' })
  e.add(ping(0, 4000, 1, 1))
  e.add(ping(100, 4000, 20, 30))
  e.add(ping(200, 4000, 30, 20))
  t.equal(e.estimate?.errorBound, 25)
  t.equal(e.sampleCount, 3)
})

t.test('a welcome seeds a rough estimate until a real sample arrives', async (t) => {
  const e = new ClockOffsetEstimator()
  e.seed(10_050, 6_000)
  t.same(e.estimate, { offset: 4050, errorBound: Infinity })
  e.add(ping(6_100, 4000, 5, 5))
  t.equal(e.estimate?.offset, 4000)
})

t.test('restart keeps the estimate as a stand-in and restarts the ping burst', async (t) => {
  const e = new ClockOffsetEstimator()
  e.add(ping(0, 4000, 5, 5))
  e.restart()
  t.equal(e.sampleCount, 0)
  t.equal(e.estimate?.offset, 4000)
  t.equal(e.estimate?.errorBound, Infinity)
  e.add(ping(100, 4001, 5, 5))
  t.equal(e.estimate?.offset, 4001)
})

t.test('ping schedule: a quick burst, then every 25 s', async (t) => {
  const delays = [0, 1, 2, 3, 4, 5, 6, 20].map((n) => nextPingDelay(n))
  t.same(delays, [0, 300, 300, 300, 300, 300, 25_000, 25_000])
})
