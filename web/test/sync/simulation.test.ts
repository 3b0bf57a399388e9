import t from 'tap'
import { simulateMany } from '../fixtures/sync-sim-pool.ts'
import { CONVERGED_MS } from '../fixtures/sync-sim-stats.ts'
import { simulate } from '../fixtures/sync-sim.ts'

// Every run is seeded, so these are deterministic: no timing flakiness, whatever the machine load.
const seeds = [1, 2, 3, 4]
const busyRoom = { remoteActionEveryMs: [20_000, 40_000] as const, stallsPerMinute: 1 }

t.test('steady playback on a 0.3 % fast element converges and stays within 30 ms', async (t) => {
  const r = simulateMany({}, seeds)
  t.comment(`steady |drift| p50 ${r.steady.p50.toFixed(1)} p95 ${r.steady.p95.toFixed(1)} max ${r.steady.max.toFixed(1)} ms`)
  t.ok(r.steady.count > 4 * 5000, 'enough samples')
  t.ok(r.steady.p99 < CONVERGED_MS, `p99 ${r.steady.p99.toFixed(1)} ms`)
  t.ok(r.steady.max < 40, `max ${r.steady.max.toFixed(1)} ms`)
  t.equal(r.hardSeeks, seeds.length, 'one seek per run: the join, nothing after')
  t.equal(r.unprovokedSeeks, 0)
  t.ok(r.nudgeReversals <= seeds.length, `${r.nudgeReversals} nudge reversals`)
  t.equal(r.neverConverged, 0)
  t.ok(r.convergence.max < 10_000, `late join in sync within ${r.convergence.max} ms`)
  t.ok(r.rateChangesPerMinute < 6, `${r.rateChangesPerMinute.toFixed(1)} rate changes per minute`)
})

t.test('a busy room (seeks, pauses, rate changes, local stalls) never sends it into a loop', async (t) => {
  const r = simulateMany(busyRoom, seeds)
  t.comment(
    `${r.disturbances} disturbances, ${r.hardSeeks} hard seeks; convergence p50 ${r.convergence.p50} p95 ${r.convergence.p95} ms`,
  )
  t.ok(r.steady.p95 < CONVERGED_MS, `settled p95 ${r.steady.p95.toFixed(1)} ms`)
  t.equal(r.neverConverged, 0, 'every disturbance ends in sync')
  t.ok(r.convergence.p95 < 8000, `convergence p95 ${r.convergence.p95} ms`)
  t.equal(r.unprovokedSeeks, 0, 'no seek once settled')
  t.ok(r.hardSeeks <= r.disturbances, 'at most one seek per disturbance on average')
  t.ok(r.nudgeReversals <= r.disturbances / 10, `${r.nudgeReversals} nudge reversals`)
})

t.test('adverse conditions: slow and erratic seeks, a 1 % slow element, a jittery network', async (t) => {
  const r = simulateMany(
    {
      ...busyRoom,
      media: { hardwareRate: 0.99, slowSeekChance: 0.3, readNoiseMs: 8 },
      tickJitterMs: 100,
      oneWayMs: [5, 120],
      clockSkewPpm: 100,
    },
    seeds,
  )
  t.comment(`settled p95 ${r.steady.p95.toFixed(1)} ms; ${r.hardSeeks} hard seeks for ${r.disturbances} disturbances`)
  t.ok(r.steadyVsEstimate.p95 < CONVERGED_MS, `settled p95 against the client's own clock estimate ${r.steadyVsEstimate.p95.toFixed(1)} ms`)
  t.ok(r.steady.p95 < 50, `settled p95 against the true timeline ${r.steady.p95.toFixed(1)} ms`)
  t.equal(r.unprovokedSeeks, 0)
  t.ok(r.hardSeeks <= 1.5 * r.disturbances, 'seeks stay bounded')
})

t.test('half an hour of undisturbed playback: one seek (the join), no oscillation', async (t) => {
  const r = simulate({ seed: 9, durationMs: 30 * 60_000, media: { hardwareRate: 0.997 } })
  t.equal(r.hardSeeks, 1)
  t.ok(r.nudgeReversals <= 1)
  t.ok(r.steady.max < 35, `max ${r.steady.max.toFixed(1)} ms`)
  t.ok(r.rateChanges < 60, `${r.rateChanges} rate changes in 30 minutes`)
})
