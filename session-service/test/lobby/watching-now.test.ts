import t from 'tap'
import { WatchingNow } from '../../src/lobby/watching-now.ts'
import type { PresenceDigest } from '../../src/live/presence-digest.ts'

function directory() {
  const clock = { now: 1000 }
  return { clock, watching: new WatchingNow({ ttlMs: 100, now: () => clock.now }) }
}

t.test('distinct users per session, over every replica', async (t) => {
  const { watching } = directory()
  watching.announce('s1', 'a', ['alice', 'bob'])
  watching.announce('s1', 'b', ['bob', 'carol'])
  watching.announce('s2', 'b', ['alice'])
  t.equal(watching.watching('s1'), 3, 'bob on two replicas counts once')
  t.equal(watching.watching('s2'), 1)
  t.equal(watching.watching('s3'), 0)
  watching.announce('s1', 'a', ['alice'])
  t.equal(watching.watching('s1'), 3, "a replica's new announcement replaces its last")
  watching.announce('s1', 'b', [])
  t.equal(watching.watching('s1'), 1, 'an empty announcement: its viewers left')
})

t.test("a replica's viewers stop counting when it stops renewing them", async (t) => {
  const { watching, clock } = directory()
  watching.announce('s', 'a', ['alice'])
  clock.now += 60
  watching.announce('s', 'b', ['bob'])
  clock.now += 40
  t.equal(watching.watching('s'), 2, 'fresh up to the time to live')
  clock.now += 1
  t.equal(watching.watching('s'), 1, 'replica a expired')
  watching.announce('s', 'b', ['bob'])
  clock.now += 99
  t.equal(watching.watching('s'), 1, 'renewed')
})

t.test('when a session last had a viewer', async (t) => {
  const { watching, clock } = directory()
  t.equal(watching.lastSeenAt('s'), undefined, 'never')
  watching.announce('s', 'a', ['alice'])
  clock.now = 1050
  t.equal(watching.lastSeenAt('s'), 1050, 'now, while someone has it open')
  clock.now = 1070
  watching.announce('s', 'a', [])
  clock.now = 5000
  t.equal(watching.lastSeenAt('s'), 1070, 'when the last viewer left')

  watching.announce('t', 'b', [])
  t.equal(watching.lastSeenAt('t'), undefined, 'an empty announcement from a replica with no viewers is no sighting')
  watching.announce('t', 'b', ['bob'])
  clock.now = 9000
  t.equal(watching.lastSeenAt('t'), 5000, 'a replica that went silent: when it last announced them')
})

t.test('prune forgets expired announcements and ended sessions', async (t) => {
  const { watching, clock } = directory()
  watching.announce('open', 'a', ['alice'])
  watching.announce('ended', 'a', ['bob'])
  watching.prune((id) => id !== 'ended')
  t.equal(watching.watching('ended'), 0)
  t.equal(watching.lastSeenAt('ended'), undefined)
  t.equal(watching.watching('open'), 1)
  clock.now += 500
  watching.prune(() => true)
  t.equal(watching.watching('open'), 0)
  t.equal(watching.lastSeenAt('open'), 1000, 'the sighting is kept while the session is open')
})

t.test('presence digests: changes apply at once; a complete full digest drops the sessions it leaves out', async (t) => {
  const { watching, clock } = directory()
  const digest = (d: Partial<PresenceDigest> & Pick<PresenceDigest, 'kind' | 'sessions'>): PresenceDigest => ({ replicaId: 'a', seq: 1, part: 0, parts: 1, ...d })
  watching.applyDigest(digest({ kind: 'full', seq: 1, sessions: { s1: ['alice'], s2: ['bob'], s3: ['carol'] } }))
  watching.applyDigest(digest({ kind: 'full', replicaId: 'b', seq: 1, sessions: { s1: ['dave'] } }))
  t.same(['s1', 's2', 's3'].map((s) => watching.watching(s)), [2, 1, 1])

  clock.now += 10
  watching.applyDigest(digest({ kind: 'change', seq: 2, sessions: { s2: [], s4: ['erin'] } }))
  t.same(['s2', 's4'].map((s) => watching.watching(s)), [0, 1], 'a change: s2 left, s4 came')
  t.equal(watching.lastSeenAt('s2'), clock.now, 'the viewers of s2 were seen until now')

  clock.now += 10
  watching.applyDigest(digest({ kind: 'full', seq: 3, part: 0, parts: 2, sessions: { s1: ['alice'] } }))
  t.equal(watching.watching('s3'), 1, 'a full digest with a part to come leaves nothing out yet')
  watching.applyDigest(digest({ kind: 'full', seq: 3, part: 1, parts: 2, sessions: { s4: ['erin'] } }))
  t.same(['s1', 's3', 's4'].map((s) => watching.watching(s)), [2, 0, 1], "s3, left out of a's complete digest, has left a")
  t.equal(watching.lastSeenAt('s3'), clock.now)

  watching.applyDigest(digest({ kind: 'full', seq: 4, part: 0, parts: 2, sessions: {} }))
  watching.applyDigest(digest({ kind: 'full', seq: 5, part: 1, parts: 2, sessions: {} }))
  t.equal(watching.watching('s1'), 2, 'parts of two different digests never make a complete one')
  t.equal(watching.watching('s4'), 1)

  watching.applyDigest(digest({ kind: 'full', seq: 6, sessions: {} }))
  t.same(['s1', 's4'].map((s) => watching.watching(s)), [1, 0], "an empty full digest: none of a's viewers are left; b's still count")
})
