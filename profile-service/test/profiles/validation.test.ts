import t, { type Test } from 'tap'
import { parseProfileChanges } from '../../src/profiles/validation.ts'

function rejects(t: Test, body: unknown, message: RegExp, why: string) {
  t.throws(() => parseProfileChanges(body), { statusCode: 400, code: 'validation_failed', message }, why)
}

t.test('accepts and normalises every field', async (t) => {
  t.same(
    parseProfileChanges({
      displayName: '  Ada  ',
      bio: ' line one\r\nline two ',
      avatarColor: '#AbCdEf',
      preferences: { autoSync: false },
    }),
    { displayName: 'Ada', bio: 'line one\nline two', avatarColor: '#abcdef', preferences: { autoSync: false } },
  )
  t.same(parseProfileChanges({ bio: '' }), { bio: '' }, 'an empty bio clears it')
  t.same(parseProfileChanges({ displayName: 'e\u0301' }), { displayName: '\u00e9' }, 'NFC: one character, not two')
})

t.test('displayName: 1 to 40 characters after trimming, counted as characters', async (t) => {
  t.same(parseProfileChanges({ displayName: 'x'.repeat(40) }), { displayName: 'x'.repeat(40) })
  t.same(parseProfileChanges({ displayName: '😀'.repeat(40) }), { displayName: '😀'.repeat(40) }, 'astral characters count once')
  rejects(t, { displayName: 'x'.repeat(41) }, /^displayName must be 1 to 40 characters/, '41 characters')
  rejects(t, { displayName: '   ' }, /^displayName must be 1 to 40/, 'blank')
  rejects(t, { displayName: '' }, /^displayName must be 1 to 40/, 'empty')
  rejects(t, { displayName: 42 }, /^displayName must be a string/, 'a number')
  rejects(t, { displayName: null }, /^displayName must be a string/, 'null')
})

t.test('displayName: no control characters', async (t) => {
  for (const [name, why] of [
    ['Ada\nLovelace', 'newline'],
    ['Ada\u0000', 'NUL'],
    ['Ada\u007f', 'DEL'],
    ['Ada\u0085x', 'C1 control'],
    ['Ada\u202Eecalevol', 'bidi override'],
    ['Ada\u2028x', 'line separator'],
    ['Ada\ud800', 'unpaired surrogate'],
  ] as const) {
    rejects(t, { displayName: name }, /^displayName must not contain control characters/, why)
  }
})

t.test('bio: at most 280 characters, line breaks allowed, other controls not', async (t) => {
  t.same(parseProfileChanges({ bio: 'b'.repeat(280) }), { bio: 'b'.repeat(280) })
  rejects(t, { bio: 'b'.repeat(281) }, /^bio must be at most 280 characters/, '281 characters')
  rejects(t, { bio: 'tab\there' }, /^bio must not contain control characters/, 'tab')
  rejects(t, { bio: 'bell\u0007' }, /^bio must not contain control characters/, 'bell')
  rejects(t, { bio: ['a'] }, /^bio must be a string/, 'an array')
})

t.test('avatarColor: #rrggbb only', async (t) => {
  for (const color of ['red', '#fff', '#12345', '#1234567', '123456', '#12345g', ' #123456', 0x123456]) {
    rejects(t, { avatarColor: color }, /^avatarColor must be a colour like #1a2b3c/, String(color))
  }
})

t.test('preferences: known keys, boolean values', async (t) => {
  t.same(parseProfileChanges({ preferences: {} }), { preferences: {} })
  rejects(t, { preferences: { theme: 'dark' } }, /^unknown field preferences\.theme/, 'unknown key')
  rejects(t, { preferences: { autoSync: 'yes' } }, /^preferences\.autoSync must be true or false/, 'not a boolean')
  rejects(t, { preferences: [true] }, /^preferences must be an object/, 'an array')
  rejects(t, { preferences: null }, /^preferences must be an object/, 'null')
})

t.test('the body: an object of known fields, at least one', async (t) => {
  rejects(t, { displayName: 'Ada', role: 'admin' }, /^unknown field role/, 'unknown field')
  rejects(t, { version: 3 }, /^unknown field version/, 'version is not editable')
  rejects(t, { userId: 'someone-else' }, /^unknown field userId/, 'userId is not editable')
  rejects(t, {}, /^send at least one of displayName, bio, avatarColor, preferences/, 'empty object')
  rejects(t, [], /^the body must be a JSON object/, 'array')
  rejects(t, null, /^the body must be a JSON object/, 'null')
  rejects(t, 'Ada', /^the body must be a JSON object/, 'string')
})
