import t from 'tap'
import { inviteUrl, isInviteToken } from '../src/lib/invite.ts'

t.test('an invite token has the URL-safe base64 shape of the contract', async (t) => {
  for (const token of ['a', 'AbC_12-xYz', 'x'.repeat(200)]) t.ok(isInviteToken(token), token.slice(0, 20))
  for (const token of ['', 'a b', 'a+b', 'a/b', 'a=', '<script>', 'x'.repeat(201), 'é']) t.notOk(isInviteToken(token), JSON.stringify(token.slice(0, 20)))
})

t.test('the link is the watch page with the token', async (t) => {
  t.equal(inviteUrl('http://127.0.0.1:3000', '0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f', 'AbC_12-xYz'), 'http://127.0.0.1:3000/sessions/0b7f3c9e-1d2a-4c5b-9e8f-7a6b5c4d3e2f?invite=AbC_12-xYz')
})
