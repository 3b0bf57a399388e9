import t from 'tap'
import { digestMessages, parsePresenceDigest, PresenceDigestPublisher, type PresenceDigest } from '../../src/live/presence-digest.ts'
import { waitFor } from '@tandem/service-kit/testing'

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

t.test('a digest is split into messages below the size limit, every session in exactly one', async (t) => {
  const sessions = Array.from({ length: 500 }, (_, i): [string, string[]] => [uuid(i), Array.from({ length: 10 }, (_, u) => uuid(10_000 + u))])
  const maxBytes = 16 * 1024
  const messages = digestMessages({ replicaId: 'a', kind: 'full', seq: 7 }, sessions, maxBytes)
  t.ok(messages.length > 1, `${messages.length} parts`)
  t.ok(messages.every((m) => Buffer.byteLength(JSON.stringify(m)) <= maxBytes), 'each part below the limit')
  t.ok(messages.every((m, i) => m.part === i && m.parts === messages.length && m.seq === 7 && m.kind === 'full'))
  t.same(messages.flatMap((m) => Object.keys(m.sessions)), sessions.map(([id]) => id), 'every session once, in order')
  t.same(digestMessages({ replicaId: 'a', kind: 'full', seq: 8 }, []), [{ replicaId: 'a', kind: 'full', seq: 8, part: 0, parts: 1, sessions: {} }], 'nothing to say is still one message')
})

t.test('parsing refuses what is not a digest', async (t) => {
  const good: PresenceDigest = { replicaId: 'a', kind: 'change', seq: 1, part: 0, parts: 1, sessions: { s: ['u'] } }
  t.same(parsePresenceDigest(JSON.stringify(good)), good)
  for (const bad of ['nope', '{}', JSON.stringify({ ...good, kind: 'other' }), JSON.stringify({ ...good, parts: 0 }), JSON.stringify({ ...good, sessions: { s: [1] } })]) {
    t.equal(parsePresenceDigest(bad), null, bad)
  }
})

t.test('the publisher sends changes coalesced, only what changed, and everything when asked', async (t) => {
  const viewers = new Map<string, string[]>()
  const sent: PresenceDigest[] = []
  const publisher = new PresenceDigestPublisher({ replicaId: 'a', localViewers: () => viewers, publish: (d) => sent.push(d), changeDelayMs: 20 })
  t.teardown(() => publisher.stop())

  viewers.set('s1', ['alice'])
  publisher.changed('s1')
  viewers.set('s2', ['bob'])
  publisher.changed('s2')
  await waitFor(() => sent.length === 1, 5000, 'the change digest')
  t.match(sent[0], { kind: 'change', sessions: { s1: ['alice'], s2: ['bob'] } }, 'two changes, one message')

  publisher.changed('s1')
  viewers.delete('s2')
  publisher.changed('s2')
  await waitFor(() => sent.length === 2, 5000, 'the second change digest')
  t.same(sent[1]!.sessions, { s2: [] }, 's1 did not change; s2 has nobody left')

  publisher.announceAll()
  t.match(sent[2], { kind: 'full', part: 0, parts: 1, sessions: { s1: ['alice'] } })
  t.ok(sent[2]!.seq > sent[1]!.seq, 'each digest has a new number')

  publisher.goodbye()
  t.match(sent[3], { kind: 'full', sessions: {} }, 'goodbye: nobody here')
  publisher.announceAll()
  t.equal(sent.length, 4, 'nothing after goodbye')
})
