import t from 'tap'
import { expectedPosition } from '../../src/lib/sync/playback.ts'

t.test('playing: position advances with server time and rate', async (t) => {
  const state = { status: 'playing' as const, position: 10, rate: 1.5, at: 1_000_000 }
  t.equal(expectedPosition(state, 1_000_000), 10)
  t.equal(expectedPosition(state, 1_002_000), 13)
})

t.test('paused: position stays', async (t) => {
  const state = { status: 'paused' as const, position: 42.5, rate: 2, at: 0 }
  t.equal(expectedPosition(state, 60_000), 42.5)
})

t.test('clamped to [0, duration]', async (t) => {
  const state = { status: 'playing' as const, position: 1, rate: 1, at: 10_000 }
  t.equal(expectedPosition(state, 0), 0, 'a clock behind the event never gives a negative position')
  t.equal(expectedPosition(state, 100_000, 60), 60)
  t.equal(expectedPosition(state, 100_000, Number.NaN), 91, 'unknown duration (NaN) is no limit')
})
