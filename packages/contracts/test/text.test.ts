import t from 'tap'
import { charCount } from '../src/index.ts'

t.test('text is counted in code points: an emoji is one character', async (t) => {
  t.equal(charCount('🎬a'), 2)
  t.equal(charCount(''), 0)
  t.equal(charCount('e\u0301'), 2, 'a combining accent is a code point of its own')
})
