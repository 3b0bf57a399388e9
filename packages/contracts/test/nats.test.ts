import t from 'tap'
import { natsTopology } from '../src/index.ts'

t.test('default namespace gives the plain names', async (t) => {
  const n = natsTopology()
  t.equal(n.userRegistered, 'user.registered')
  t.equal(n.sessionEvents('abc'), 'session.abc.events')
  t.equal(n.sessionEphemeral('abc'), 'session.abc.ephemeral')
  t.equal(n.sessionPresence, 'session-presence')
  t.equal(n.usersStream, 'USERS')
})

t.test('a namespace prefixes subjects and streams', async (t) => {
  const n = natsTopology('t1')
  t.equal(n.userRegistered, 't1.user.registered')
  t.equal(n.sessionEvents('abc'), 't1.session.abc.events')
  t.equal(n.sessionPresence, 't1.session-presence')
  t.equal(n.profilesStream, 'T1_PROFILES')
})

t.test('a namespace that would break subjects is refused', async (t) => {
  t.throws(() => natsTopology('a.b'), /invalid NATS namespace/)
  t.throws(() => natsTopology('a b'), /invalid NATS namespace/)
})
