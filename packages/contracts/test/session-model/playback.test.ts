import t from 'tap'
import { positionAt, type PlaybackState } from '../../src/index.ts'

const playing: PlaybackState = { status: 'playing', position: 10, rate: 2, at: 1_000 }

t.test('a paused video stays where it was paused', async (t) => {
  t.equal(positionAt({ ...playing, status: 'paused' }, 9_000), 10)
})

t.test('a playing video moves at its rate from the time it was set', async (t) => {
  t.equal(positionAt(playing, 4_000), 16)
})

t.test('time before the event counts as none, so a clock a little behind never goes back', async (t) => {
  t.equal(positionAt(playing, 500), 10)
})

t.test('the position is never negative and never past a known duration', async (t) => {
  t.equal(positionAt({ ...playing, position: -3, status: 'paused' }, 1_000), 0)
  t.equal(positionAt(playing, 60_000, 30), 30)
  t.equal(positionAt(playing, 60_000, Number.NaN), 128, 'an unknown (NaN) duration does not cap it')
})
