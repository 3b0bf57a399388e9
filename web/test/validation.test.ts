import t from 'tap'
import { describeError } from '../src/lib/api/messages.ts'
import { ApiError } from '../src/lib/api/http.ts'
import { checkLogin, checkNewSession, checkProfile, checkRegistration } from '../src/lib/validation.ts'

t.test('registration', async (t) => {
  t.same(checkRegistration({ email: 'a@b.co', password: 'long enough', displayName: 'Ada' }), {})
  t.same(Object.keys(checkRegistration({ email: '', password: '', displayName: '' })), ['email', 'password', 'displayName'])
  t.match(checkRegistration({ email: 'a@b', password: 'x'.repeat(129), displayName: '🎬'.repeat(41) }), {
    email: /e-mail address/,
    password: /at most 128/,
    displayName: /40 characters/,
  })
  t.same(checkRegistration({ email: 'a@b.co', password: '12345678', displayName: '🎬'.repeat(40) }), {}, 'an emoji counts as one character')
})

t.test('login, profile, new session', async (t) => {
  t.same(checkLogin({ email: 'a@b.co', password: 'x' }), {}, 'any password length may be tried')
  t.match(checkProfile({ displayName: 'A', bio: 'x'.repeat(281), avatarColor: 'red' }), { bio: /280/, avatarColor: /colour/ })
  t.same(checkProfile({ displayName: 'A', bio: '', avatarColor: '#AABBCC' }), {})
  t.same(checkNewSession({ title: 'T', videoUrl: 'http://127.0.0.1:3000/media/sample.webm' }), {})
  t.match(checkNewSession({ title: '', videoUrl: 'ftp://x/y' }), { title: /title/, videoUrl: /http/ })
  t.match(checkNewSession({ title: 'x'.repeat(121), videoUrl: 'nope' }), { title: /120/, videoUrl: /web address/ })
})

t.test('errors read as sentences, never as stack traces', async (t) => {
  t.equal(describeError(new ApiError(401, 'invalid_credentials', 'e-mail address or password is wrong')), 'Wrong e-mail address or password.')
  t.equal(describeError(new ApiError(429, 'rate_limited', 'too many attempts; try again in 30 s')), 'Too many attempts; try again in 30 s.')
  t.equal(describeError(new ApiError(500, 'internal', 'TypeError at x.js:1')), 'Something went wrong on our side. Try again in a moment.')
  t.equal(describeError(new Error('boom')), 'Something went wrong. Try again in a moment.')
})
