import t from 'tap'
import { etagOf, ifNoneMatchHits, parseIfMatch } from '../../src/routes/etag.ts'

t.test('ETags are the quoted version', async (t) => {
  t.equal(etagOf(7), '"7"')
})

t.test('If-Match', async (t) => {
  t.equal(parseIfMatch(undefined), undefined, 'absent')
  t.equal(parseIfMatch('*'), 'any')
  t.same(parseIfMatch('"3"'), [3])
  t.same(parseIfMatch('"3", "5"'), [3, 5])
  t.same(parseIfMatch('W/"3"'), [], 'a weak tag never matches (strong comparison)')
  t.same(parseIfMatch('3'), [], 'unquoted is malformed')
  t.same(parseIfMatch('"abc"'), [])
})

t.test('If-None-Match', async (t) => {
  t.equal(ifNoneMatchHits(undefined, 3), false)
  t.equal(ifNoneMatchHits('"3"', 3), true)
  t.equal(ifNoneMatchHits('W/"3"', 3), true, 'weak comparison')
  t.equal(ifNoneMatchHits('"2", "4"', 3), false)
  t.equal(ifNoneMatchHits('*', 3), true)
})
