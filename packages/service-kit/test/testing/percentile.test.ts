import t from 'tap'
import { percentile } from '../../src/testing/percentile.ts'

t.test('the nearest rank: the ⌈p/100 · n⌉-th smallest value, never an interpolation', async (t) => {
  t.equal(percentile([4, 1, 3, 2], 50), 2, 'p50 of four values is the second smallest')
  t.equal(percentile([4, 1, 3, 2], 51), 3)
  const twenty = Array.from({ length: 20 }, (_, i) => 20 - i)
  t.equal(percentile(twenty, 95), 19, 'p95 of 20 values is the 19th')
  t.equal(percentile(twenty, 25), 5, 'p25 of 20 values is the 5th')
  t.equal(percentile(twenty, 100), 20)
  t.equal(percentile(twenty, 0), 1, 'p0 is the smallest')
  t.equal(percentile([7], 99), 7)
})

t.test('no values: NaN, and the input is left as it was', async (t) => {
  t.ok(Number.isNaN(percentile([], 50)))
  const values = [3, 1, 2]
  percentile(values, 50)
  t.same(values, [3, 1, 2])
})
