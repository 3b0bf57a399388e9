import t from 'tap'
import { DEFAULT_BANDS } from '../../src/lib/sync/drift-bands.ts'
import { SeekLatency } from '../../src/lib/sync/seek-latency.ts'

t.test('a landing behind the aim means the seek took longer than estimated', async (t) => {
  const latency = new SeekLatency({ ...DEFAULT_BANDS, initialSeekLatency: 0.1, seekLatencySamples: 1 })
  // aimed 0.1 s ahead at rate 2, landed 0.2 s behind: the seek took 0.2 s
  latency.learn(-0.2, 2)
  t.equal(latency.seconds, 0.2)
})

t.test('until there are enough measurements the first guess counts twice; never past the maximum', async (t) => {
  const latency = new SeekLatency({ ...DEFAULT_BANDS, initialSeekLatency: 0.1, maxSeekLatency: 1, seekLatencySamples: 5 })
  latency.learn(-5, 1)
  t.equal(latency.seconds, 0.1, 'median of [0.1, 0.1, 1]')
  latency.learn(latency.seconds - 0.3, 1)
  t.equal(latency.seconds, 0.2, 'median of [0.1, 0.1, 0.3, 1]')
})
