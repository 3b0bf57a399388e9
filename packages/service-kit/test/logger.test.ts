import t from 'tap'
import { redactUrl } from '../src/logger.ts'

t.test('logged URLs keep their path and harmless parameters, never a token or invite', async (t) => {
  t.equal(redactUrl('/v1/sessions/abc/join'), '/v1/sessions/abc/join')
  t.equal(redactUrl('/v1/sessions?q=movie&limit=5'), '/v1/sessions?q=movie&limit=5')
  t.equal(redactUrl('/sessions/abc?invite=SECRET'), '/sessions/abc?invite=[redacted]')
  t.equal(redactUrl('/x?a=1&Invite=SECRET&token=OTHER#frag'), '/x?a=1&Invite=[redacted]&token=[redacted]#frag')
  t.equal(redactUrl('/x?invites=1&notoken=2'), '/x?invites=1&notoken=2', 'only those exact names')
})
