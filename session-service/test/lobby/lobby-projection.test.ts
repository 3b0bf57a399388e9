import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createTestDatabase, waitFor } from '@tandem/service-kit/testing'
import type { FastifyBaseLogger } from 'fastify'
import type { SessionEvent } from '@tandem/contracts'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { LobbyProjection } from '../../src/lobby/lobby-projection.ts'
import { encodeSessionEvent, sessionStream, type StoredSessionEvent } from '../../src/stream/session-stream.ts'

const db = await createTestDatabase('tandem_lobby')
t.teardown(() => db.drop())
const store = await openEventStore(db.url, { poolSize: 2, pollIntervalMs: 20 })
t.teardown(() => store.close())
const silent = { warn: () => undefined } as unknown as FastifyBaseLogger

const HOST = randomUUID()
const created = (title: string, at: number): SessionEvent => ({ type: 'SessionCreated', data: { title, videoUrl: 'https://v.example/a', hostId: HOST, controlMode: 'host' }, at, by: HOST })
const joined = (userId: string): SessionEvent => ({ type: 'ViewerJoined', data: { userId }, at: 2, by: userId })
const ended: SessionEvent = { type: 'SessionEnded', data: {}, at: 3, by: HOST }
const stored = (events: SessionEvent[]): StoredSessionEvent[] => events.map((event, revision) => ({ revision, event, commandId: `c${revision}` }))

async function write(id: string, events: SessionEvent[]) {
  await store.events.append(sessionStream(id), events.map((e, i) => encodeSessionEvent(e, `c${i}`)), 'no_stream')
}

t.test('the feed and local hints together count each event once', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  t.teardown(() => lobby.stop())
  const id = randomUUID()
  const events = [created('Both ways', 1), joined('alice'), joined('bob')]
  for (const s of stored(events).slice(0, 2)) lobby.observe(id, s)
  t.same(lobby.list().map((s) => [s.title, s.members]), [['Both ways', 2]], 'listed at once from the hint')
  await write(id, events)
  lobby.start()
  await waitFor(() => lobby.list()[0]?.members === 3, 5000, 'the feed')
  t.same(lobby.list().map((s) => [s.title, s.members]), [['Both ways', 3]], 'the feed added only what was new')
})

t.test('an ended session is not reopened by a late copy of its events', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  t.teardown(() => lobby.stop())
  const id = randomUUID()
  const other = randomUUID()
  const events = [created('Short', 10), joined('alice'), ended]
  for (const s of stored(events)) lobby.observe(id, s)
  t.same(lobby.list().filter((s) => s.id === id), [])
  await write(id, events)
  await write(other, [created('Marker', 5)])
  lobby.start()
  await waitFor(() => lobby.list().some((s) => s.id === other), 5000, 'the feed to pass the ended session')
  t.same(lobby.list().filter((s) => s.id === id), [], 'still not listed')
})

t.test('out-of-order hints are ignored until the feed brings the missing ones', async (t) => {
  const lobby = new LobbyProjection(store.events, silent)
  const id = randomUUID()
  const [c, a, b] = stored([created('Gappy', 20), joined('alice'), joined('bob')])
  lobby.observe(id, b!)
  t.same(lobby.list().filter((s) => s.id === id), [], 'a session is known from its first event only')
  lobby.observe(id, c!)
  lobby.observe(id, b!)
  t.equal(lobby.list().find((s) => s.id === id)?.members, 1, 'revision 2 waits for revision 1')
  lobby.observe(id, a!)
  lobby.observe(id, b!)
  t.equal(lobby.list().find((s) => s.id === id)?.members, 3)
})
