import t from 'tap'
import { maySee, mayShareInvite, type SessionFields } from '../../src/index.ts'

type Fields = Pick<SessionFields, 'visibility' | 'status' | 'members' | 'hostId' | 'coHostIds' | 'membersMayInvite'>
const room: Fields = { visibility: 'private', status: 'open', members: ['host', 'ada', 'bo'], hostId: 'host', coHostIds: ['ada'], membersMayInvite: false }

t.test('a private session is seen by its members only; a public one by anyone', async (t) => {
  t.equal(maySee(room, 'bo'), true)
  t.equal(maySee(room, 'stranger'), false)
  t.equal(maySee({ ...room, visibility: 'public' }, 'stranger'), true)
})

t.test('the host and co-hosts share the invite link; members when the host allows it', async (t) => {
  t.equal(mayShareInvite(room, 'host'), true)
  t.equal(mayShareInvite(room, 'ada'), true)
  t.equal(mayShareInvite(room, 'bo'), false)
  t.equal(mayShareInvite({ ...room, membersMayInvite: true }, 'bo'), true)
  t.equal(mayShareInvite({ ...room, membersMayInvite: true }, 'stranger'), false, 'never a non-member')
  t.equal(mayShareInvite({ ...room, status: 'ended' }, 'host'), false, 'nobody once it has ended')
})
