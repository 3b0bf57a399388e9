import t from 'tap'
import { KeyCounts } from '../src/key-counts.ts'

t.test('counts per key, and forgets a key whose count is back to zero', async (t) => {
  const counts = new KeyCounts()
  t.equal(counts.get('ada'), 0, 'an unknown key counts 0')
  counts.add('ada', 1)
  counts.add('ada', 1)
  counts.add('ben', 1)
  t.same([counts.get('ada'), counts.get('ben'), counts.size], [2, 1, 2])
  counts.add('ada', -1)
  counts.add('ben', -1)
  t.same([counts.get('ada'), counts.get('ben'), counts.size], [1, 0, 1], 'ben is forgotten')
  counts.add('ada', -5)
  t.same([counts.get('ada'), counts.size], [0, 0], 'never below zero')
})
