import t from 'tap'
import { randomUUID } from 'node:crypto'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { LiveSession } from '../../src/live/live-session.ts'
import { SessionRepository } from '../../src/stream/session-repository.ts'
import type { StoredSessionEvent } from '../../src/stream/session-stream.ts'
import type { SessionCommand } from '../../src/domain/commands.ts'
import { RECENT_EVENTS_ON_LOAD } from '../../src/live/applied-commands.ts'
import { seedSession } from '../fixtures/seed-session.ts'

const db = await createTestDatabase('tandem_live_session')
t.teardown(() => db.drop())
const store = await openEventStore(db.url, { poolSize: 6 })
t.teardown(() => store.close())
const repository = new SessionRepository(store.events, store.snapshots)
const HOST = randomUUID()
const ALICE = randomUUID()

/** A replica's view of one session, without NATS: what it appends it publishes to `published`. */
async function replica(id: string, published: StoredSessionEvent[][] = []) {
  const errors: unknown[] = []
  const live = await LiveSession.load(id, {
    repository,
    publish: (_id, events) => published.push(events),
    onError: (err) => errors.push(err),
  })
  const seen: number[] = []
  live.onEvent((stored) => seen.push(stored.revision))
  return { live, seen, published, errors }
}

let counter = 0
const run = (live: LiveSession, userId: string, command: SessionCommand, id = `c${++counter}`) =>
  live.execute({ id, userId, at: Date.now(), command })

async function newSession(controlMode: 'host' | 'everyone' = 'everyone') {
  const id = randomUUID()
  const creator = await replica(id)
  await run(creator.live, HOST, { type: 'create', title: 't', videoUrl: 'https://v.example/x', controlMode, visibility: 'public', inviteId: 'invite-1' })
  return id
}

t.test('events are applied strictly by revision: out of order held, duplicates dropped', async (t) => {
  const id = await newSession()
  const writer = await replica(id)
  for (let i = 0; i < 4; i++) await run(writer.live, HOST, { type: 'chat', text: `m${i}`, videoPosition: 0 })
  const events = writer.published.flat()
  const reader = await replica(id)
  t.equal(reader.live.revision, 4, 'loaded at the latest revision')

  // A replica that knows nothing yet gets everything shuffled and repeated.
  const empty = new LiveSession(id, (await repository.load(randomUUID())).state, { repository, publish: () => undefined, onError: () => undefined })
  t.equal(empty.revision, -1)
  const seen: number[] = []
  empty.onEvent((s) => seen.push(s.revision))
  const created = (await repository.readAfter(id, -1, 1))[0]!
  empty.offer([events[1]!, events[0]!, created, events[0]!, events[3]!, events[2]!])
  t.same(seen, [0, 1, 2, 3, 4], 'applied in order, each once')
})

t.test('a gap is filled from the store', async (t) => {
  const id = await newSession()
  const writer = await replica(id)
  const behind = await replica(id)
  for (let i = 0; i < 5; i++) await run(writer.live, HOST, { type: 'chat', text: `m${i}`, videoPosition: 0 })
  const lastOnly = writer.published.at(-1)!
  behind.live.offer(lastOnly)
  await behind.live.settled()
  await new Promise((r) => setTimeout(r, 50))
  t.same(behind.seen, [1, 2, 3, 4, 5], 'the missing revisions were read before the one that arrived')
})

t.test('an event the store does not know is dropped, not retried forever', async (t) => {
  const id = await newSession()
  const r = await replica(id)
  const bogus: StoredSessionEvent = { revision: 99, commandId: 'x', event: { type: 'ViewerJoined', data: { userId: 'ghost' }, at: 1, by: 'ghost' } }
  r.live.offer([bogus])
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(r.live.revision, 0)
  t.same(r.seen, [])
  const ok = await run(r.live, HOST, { type: 'chat', text: 'still fine', videoPosition: 0 })
  t.match(ok, { kind: 'ack', revision: 1 })
})

t.test('two replicas appending to one session concurrently: every command lands once, in order', async (t) => {
  const id = await newSession()
  await run((await replica(id)).live, ALICE, { type: 'join' })
  const one = await replica(id)
  const two = await replica(id)
  const n = 60
  const outcomes = await Promise.all([
    ...Array.from({ length: n }, (_, i) => run(one.live, HOST, { type: 'chat', text: `one ${i}`, videoPosition: i })),
    ...Array.from({ length: n }, (_, i) => run(two.live, ALICE, { type: 'chat', text: `two ${i}`, videoPosition: i })),
  ])
  t.same(outcomes.filter((o) => o.kind !== 'ack'), [], 'no command refused')
  const stored = await repository.readAfter(id, -1)
  t.equal(stored.length, 2 + 2 * n)
  for (const who of ['one', 'two']) {
    const order = stored.flatMap((s) => (s.event.type === 'ChatMessagePosted' && s.event.data.text.startsWith(who) ? [Number(s.event.data.text.split(' ')[1])] : []))
    t.same(order, Array.from({ length: n }, (_, i) => i), `${who}: in the order sent`)
  }
  const acked = outcomes.map((o) => (o.kind === 'ack' ? o.revision : -1))
  t.equal(new Set(acked).size, acked.length, 'each ack names its own revision')
})

t.test('a refusal is confirmed against the store before it is sent', async (t) => {
  const id = await newSession()
  const stale = await replica(id)
  const other = await replica(id)
  t.match(await run(other.live, ALICE, { type: 'join' }), { kind: 'ack' })
  // `stale` never heard of the join; it must not answer not_member.
  t.match(await run(stale.live, ALICE, { type: 'chat', text: 'hi', videoPosition: 0 }), { kind: 'ack', revision: 2 })
  t.same(stale.seen, [1, 2])
})

t.test('the same command id through two replicas is stored once', async (t) => {
  const id = await newSession()
  const one = await replica(id)
  const two = await replica(id)
  const [a, b] = await Promise.all([
    run(one.live, HOST, { type: 'chat', text: 'once', videoPosition: 0 }, 'same-id'),
    run(two.live, HOST, { type: 'chat', text: 'once', videoPosition: 0 }, 'same-id'),
  ])
  t.match(a, { kind: 'ack', revision: 1 })
  t.match(b, { kind: 'ack', revision: 1 })
  t.equal((await repository.readAfter(id, -1)).length, 2)
})

t.test('a retry is acknowledged without a new event even after more commands than a load reads', async (t) => {
  // A replica died before acknowledging; its client re-sends through another replica, on which
  // the session has moved on by more than RECENT_EVENTS_ON_LOAD commands meanwhile.
  const id = await newSession()
  const r = await replica(id)
  const first = await run(r.live, HOST, { type: 'chat', text: 'sent once', videoPosition: 0 }, 'unanswered')
  for (let i = 0; i < RECENT_EVENTS_ON_LOAD + 10; i++) await run(r.live, HOST, { type: 'chat', text: `m${i}`, videoPosition: 0 })
  const before = r.live.revision
  t.match(await run(r.live, HOST, { type: 'chat', text: 'sent once', videoPosition: 0 }, 'unanswered'), { kind: 'ack', revision: (first as { revision: number }).revision })
  t.equal(r.live.revision, before, 'nothing appended')
})

t.test('a retry is acknowledged at its revision even when the session has ended since', async (t) => {
  const id = randomUUID()
  const r = await replica(id)
  const create: SessionCommand = { type: 'create', title: 't', videoUrl: 'https://v.example/x', controlMode: 'host', visibility: 'public', inviteId: 'invite-1' }
  t.match(await run(r.live, HOST, create, 'create-once'), { kind: 'ack', revision: 0 })
  t.match(await run(r.live, HOST, { type: 'end' }), { kind: 'ack', revision: 1 })
  t.match(await run(r.live, HOST, create, 'create-once'), { kind: 'ack', revision: 0, events: [] })
})

t.test('a command id is its user\'s: two users sending the same id each get their own event', async (t) => {
  const id = await newSession()
  const r = await replica(id)
  t.match(await run(r.live, ALICE, { type: 'join' }, 'join-1'), { kind: 'ack', revision: 1 })
  const [host, alice] = await Promise.all([
    run(r.live, HOST, { type: 'chat', text: 'from the host', videoPosition: 0 }, 'same-id'),
    run(r.live, ALICE, { type: 'chat', text: 'from alice', videoPosition: 0 }, 'same-id'),
  ])
  t.match(host, { kind: 'ack', revision: 2 })
  t.match(alice, { kind: 'ack', revision: 3 })
  const chats = (await repository.readAfter(id, 1)).map((s) => [s.event.by, s.commandId, s.event.type === 'ChatMessagePosted' && s.event.data.text])
  t.same(chats, [[HOST, 'same-id', 'from the host'], [ALICE, 'same-id', 'from alice']])
  t.match(await run(r.live, ALICE, { type: 'chat', text: 'from alice', videoPosition: 0 }, 'same-id'), { kind: 'ack', revision: 3, events: [] })
})

t.test('a replica that loads a session recognises retries of the commands of its latest events', async (t) => {
  // As after a restart: loaded from a snapshot plus the tail, the command memory from the stream.
  const seeded = await seedSession(store, { events: 400, hostId: HOST, memberIds: [ALICE] })
  const stored = await repository.readAfter(seeded.id, -1)
  const r = await replica(seeded.id)
  t.equal(r.live.revision, 399)
  const retry = (index: number) => {
    const { event, commandId } = stored[index]!
    return run(r.live, event.by, { type: 'chat', text: 'retried', videoPosition: 0 }, commandId!)
  }
  t.match(await retry(399), { kind: 'ack', revision: 399, events: [] }, 'the latest command')
  t.match(await retry(400 - RECENT_EVENTS_ON_LOAD), { kind: 'ack', revision: 400 - RECENT_EVENTS_ON_LOAD, events: [] }, 'the oldest one read')
  t.equal(r.live.revision, 399, 'nothing appended')
  t.match(await retry(399 - RECENT_EVENTS_ON_LOAD), { kind: 'ack', revision: 400 }, 'older commands are not read on load')
})
