import t from 'tap'
import { randomUUID } from 'node:crypto'
import { Value } from '@sinclair/typebox/value'
import { InviteTokenSchema } from '@tandem/contracts'
import { InviteLinks, newInviteId } from '../../src/invites/invite-links.ts'

const links = new InviteLinks(Buffer.from('a key of at least thirty-two characters'))
const session = randomUUID()

t.test('an invite id has 128 random bits in base64url', async (t) => {
  const ids = new Set(Array.from({ length: 1000 }, newInviteId))
  t.equal(ids.size, 1000)
  const malformed = [...ids].filter((id) => !/^[A-Za-z0-9_-]{22}$/.test(id) || Buffer.from(id, 'base64url').length !== 16)
  t.same(malformed, [], '22 base64url characters, 16 bytes each')
})

t.test('a token names its invite id, fits the link schema and checks out for its session only', async (t) => {
  const inviteId = newInviteId()
  const token = links.token(session, inviteId)
  t.ok(Value.Check(InviteTokenSchema, token), 'URL-safe and within the schema')
  t.ok(token.length >= 44, 'the invite id and at least 128 bits of MAC')
  t.equal(links.verify(session, token), inviteId)
  t.equal(links.verify(randomUUID(), token), null, 'the token of another session')
  t.equal(links.path(session, token), `/sessions/${session}?invite=${token}`)
})

t.test('older UUID invite ids make working tokens too', async (t) => {
  const inviteId = randomUUID()
  t.equal(links.verify(session, links.token(session, inviteId)), inviteId)
})

t.test('forged and garbled tokens name nothing', async (t) => {
  const inviteId = newInviteId()
  const token = links.token(session, inviteId)
  const mac = token.slice(inviteId.length)
  const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A')
  const otherKey = new InviteLinks(Buffer.from('another key of at least thirty-two chars'))
  const cases = {
    'right invite id, wrong MAC': inviteId + flipped,
    'right invite id, MAC of another key': otherKey.token(session, inviteId),
    'another invite id with this MAC': newInviteId() + mac,
    'the invite id alone': inviteId,
    'the MAC alone': mac,
    'one character short': token.slice(0, -1),
    'one character more': token + 'A',
    empty: '',
    'not base64': 'é'.repeat(60),
  }
  for (const [what, forged] of Object.entries(cases)) t.equal(links.verify(session, forged), null, what)
})

t.test('an empty key is refused', async (t) => {
  t.throws(() => new InviteLinks(Buffer.alloc(0)))
})
