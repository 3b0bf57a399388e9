import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, waitFor } from '@tandem/service-kit/testing'
import type { FastifyBaseLogger } from 'fastify'
import type { SessionEvent, Visibility } from '@tandem/contracts'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { LobbyProjection } from '../../src/lobby/lobby-projection.ts'
import { lobbyPage } from '../../src/lobby/lobby-page.ts'
import { sessionEvent } from '../../src/domain/events.ts'
import { encodeSessionEvent, sessionStream, type StoredSessionEvent } from '../../src/stream/session-stream.ts'

const db = await createTestDatabase('tandem_lobby')
t.teardown(() => db.drop())
const store = await openEventStore(db.url, { poolSize: 2, pollIntervalMs: 20 })
t.teardown(() => store.close())
const silent = { warn: () => undefined } as unknown as FastifyBaseLogger

const HOST = randomUUID()
const created = (title: string, at: number, visibility?: Visibility): SessionEvent =>
  sessionEvent('SessionCreated', { title, videoUrl: 'https://v.example/a', hostId: HOST, controlMode: 'host', ...(visibility ? { visibility } : {}) }, at, HOST)
const joined = (userId: string): SessionEvent => sessionEvent('ViewerJoined', { userId }, 2, userId)
const left = (userId: string): SessionEvent => sessionEvent('ViewerLeft', { userId }, 3, userId)
const ended: SessionEvent = sessionEvent('SessionEnded', { reason: 'host' }, 3, HOST)
const stored = (events: SessionEvent[]): StoredSessionEvent[] => events.map((event, revision) => ({ revision, event, commandId: `c${revision}` }))

/** The lobby's first page, nobody watching. */
const listed = (lobby: LobbyProjection) => lobbyPage(lobby.publicSessions(), () => 0, { limit: 50 }).sessions

/** A projection fed by hand, as this replica's live sessions feed it. */
function fed(...sessions: Array<[string, SessionEvent[]]>): LobbyProjection {
  const lobby = new LobbyProjection(store.events, silent)
  for (const [id, events] of sessions) for (const s of stored(events)) lobby.observe(id, s)
  return lobby
}

/** Applies more events to a session already at `from - 1`. */
function more(lobby: LobbyProjection, id: string, from: number, events: SessionEvent[]) {
  events.forEach((event, i) => lobby.observe(id, { revision: from + i, event, commandId: `m${from + i}` }))
}

async function write(id: string, events: SessionEvent[]) {
  await store.events.append(sessionStream(id), events.map((e, i) => encodeSessionEvent(e, `c${i}`)), 'no_stream')
}

t.test('the feed and local hints together count each event once', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  t.teardown(() => lobby.stop())
  const id = randomUUID()
  const events = [created('Both ways', 1, 'public'), joined('alice'), joined('bob')]
  for (const s of stored(events).slice(0, 2)) lobby.observe(id, s)
  t.same(listed(lobby).map((s) => [s.title, s.members]), [['Both ways', 2]], 'listed at once from the hint')
  await write(id, events)
  lobby.start()
  await waitFor(() => listed(lobby).find((s) => s.id === id)?.members === 3, 5000, 'the feed')
  t.same(listed(lobby).filter((s) => s.id === id).map((s) => [s.title, s.members]), [['Both ways', 3]], 'the feed added only what was new')
})

t.test('an ended session is not reopened by a late copy of its events', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  t.teardown(() => lobby.stop())
  const id = randomUUID()
  const other = randomUUID()
  const alice = randomUUID()
  const events = [created('Short', 10, 'public'), joined(alice), ended]
  for (const s of stored(events)) lobby.observe(id, s)
  t.same(listed(lobby).filter((s) => s.id === id), [])
  await write(id, events)
  await write(other, [created('Marker', 5, 'public')])
  lobby.start()
  await waitFor(() => listed(lobby).some((s) => s.id === other), 5000, 'the feed to pass the ended session')
  t.same(listed(lobby).filter((s) => s.id === id), [], 'still not listed')
  t.equal(lobby.openSession(id), undefined)
  t.same([...lobby.sessionsOf(alice)].map((s) => s.id), [], 'nor among its members’ sessions')
})

t.test('out-of-order hints are ignored until the feed brings the missing ones', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  const id = randomUUID()
  const [c, a, b] = stored([created('Gappy', 20, 'public'), joined('alice'), joined('bob')])
  lobby.observe(id, b!)
  t.same(listed(lobby), [], 'a session is known from its first event only')
  lobby.observe(id, c!)
  lobby.observe(id, b!)
  t.equal(listed(lobby)[0]?.members, 1, 'revision 2 waits for revision 1')
  lobby.observe(id, a!)
  lobby.observe(id, b!)
  t.equal(listed(lobby)[0]?.members, 3)
})

t.test('only open public sessions are listed; VisibilityChanged moves one in and out', async (t) => {
  const [pub, priv, old] = [randomUUID(), randomUUID(), randomUUID()]
  const lobby = fed([pub, [created('Public', 3, 'public')]], [priv, [created('Private', 2, 'private')]], [old, [created('From before visibility', 1)]])
  t.same(listed(lobby).map((s) => s.title), ['Public', 'From before visibility'], 'private left out; a stream without visibility is public')
  t.same(listed(lobby).map((s) => s.visibility), ['public', 'public'])

  more(lobby, priv, 1, [sessionEvent('VisibilityChanged', { visibility: 'public' }, 4, HOST)])
  more(lobby, pub, 1, [sessionEvent('VisibilityChanged', { visibility: 'private' }, 4, HOST)])
  t.same(listed(lobby).map((s) => s.title), ['Private', 'From before visibility'], 'made public: listed; made private: gone')

  more(lobby, priv, 2, [sessionEvent('VideoChanged', { videoUrl: 'https://v.example/b' }, 5, HOST)])
  t.equal(listed(lobby)[0]?.videoUrl, 'https://v.example/b', 'videoUrl is what plays now')
  t.same(listed(lobby)[0]?.nowPlaying, { kind: 'url', title: '', url: 'https://v.example/b', fileName: null })
  t.equal(lobby.openSession(priv)?.lastEventAt, 5, 'the time of its latest event')

  more(lobby, priv, 3, [ended])
  t.same(listed(lobby).map((s) => s.title), ['From before visibility'], 'an ended session leaves')
  t.equal(lobby.openSessionsHostedBy(HOST), 2, 'two open sessions left to the host')
})

t.test("each user's open sessions, with whether they may share the invite", async (t) => {
  const [a, b] = [randomUUID(), randomUUID()]
  const lobby = fed([a, [created('Mine A', 1, 'private'), joined('alice'), joined('bob')]], [b, [created('Mine B', 2, 'public'), joined('alice')]])
  const mine = (user: string) => [...lobby.sessionsOf(user)].map((s) => s.id).sort()
  t.same(mine(HOST), [a, b].sort(), 'the host is a member of both, the private one included')
  t.same(mine('bob'), [a])
  t.same(mine('carol'), [])

  more(lobby, a, 3, [
    sessionEvent('CoHostAdded', { userId: 'bob' }, 4, HOST),
    sessionEvent('HostChanged', { hostId: 'alice', reason: 'handed_over' }, 5, HOST),
    sessionEvent('InvitePolicyChanged', { membersMayInvite: true }, 6, 'alice'),
  ])
  const fields = lobby.openSession(a)!.fields
  t.match(fields, { hostId: 'alice', coHostIds: ['bob'], membersMayInvite: true, members: [HOST, 'alice', 'bob'] }, 'folded by the shared model')
  t.equal(lobby.openSessionsHostedBy('alice'), 1, 'the new host counts it')
  t.equal(lobby.openSessionsHostedBy(HOST), 1, 'the old host no longer does')

  more(lobby, a, 6, [left('bob')])
  t.same(mine('bob'), [], 'a member who left no longer has it')
  t.same(lobby.openSession(a)!.fields.coHostIds, [], 'nor is a co-host')
  more(lobby, b, 2, [ended])
  t.same(mine('alice'), [a], 'an ended session is nobody’s')
})

t.test('a listed session says what plays now, and the lobby keeps no queue', async (t) => {
  const id = randomUUID()
  const item = (itemId: string, title: string) => ({ itemId, kind: 'url' as const, url: `https://v.example/${itemId}`, title, subtitlesUrl: null, file: null, addedBy: HOST })
  const lobby = fed([id, [
    created('Evening', 1, 'public'),
    sessionEvent('QueueItemAdded', { item: item('r1', 'One'), index: 0 }, 2, HOST),
    sessionEvent('QueueItemAdded', { item: item('r2', 'Two'), index: 1 }, 2, HOST),
  ]])
  t.same(lobby.openSession(id)?.fields.queue, [], 'queued items are not held')
  more(lobby, id, 3, [sessionEvent('VideoChanged', { videoUrl: 'https://v.example/r2', item: item('r2', 'Two'), reason: 'chosen', playing: false }, 3, HOST)])
  t.same(listed(lobby)[0]?.nowPlaying, { kind: 'url', title: 'Two', url: 'https://v.example/r2', fileName: null })
  const file = { itemId: 'r4', kind: 'local' as const, url: '', title: '', subtitlesUrl: null, file: { name: 'film.mkv', size: 1, duration: 9 }, addedBy: HOST }
  more(lobby, id, 4, [sessionEvent('VideoChanged', { videoUrl: '', item: file, reason: 'ended', playing: true }, 4, HOST)])
  t.same(listed(lobby)[0]?.nowPlaying, { kind: 'local', title: '', url: '', fileName: 'film.mkv' })
})
