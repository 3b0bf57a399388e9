import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { EventMessage, HistoryMessage } from '@tandem/contracts'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { encodeSessionEvent, sessionStream } from '../../src/stream/session-stream.ts'
import { waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'
import { seedSession } from '../fixtures/seed-session.ts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const BOB = randomUUID()
const token = (user: string) => world.issuer.sign(user)
// Resync quickly so that the lost-message test does not wait long; limits raised so that the
// tests can send commands as fast as they like.
const env = { RESYNC_INTERVAL_MS: '300' }
const deps = { connectionLimits: { commandBurst: 10_000, commandsPerSecond: 10_000 } }
const a = await startSessionApp(t, world, { replicaId: 'replica-a', env, deps })
const b = await startSessionApp(t, world, { replicaId: 'replica-b', env, deps })

const store = await openEventStore(world.database.url, { poolSize: 2 })
t.teardown(() => store.close())

async function everyoneSession() {
  const { id } = await createSession(a.baseUrl, token(HOST), { controlMode: 'everyone' })
  await api(a.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(ALICE))
  await api(b.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(BOB))
  return id
}

const revisions = (socket: TestSocket) => socket.events().map((e) => e.revision)
const contiguous = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

t.test('viewers on two replicas see the same events in the same order', async (t) => {
  const id = await everyoneSession()
  const onA = await TestSocket.join(a.wsUrl(id), token(ALICE))
  const onB = await TestSocket.join(b.wsUrl(id), token(BOB))
  t.teardown(() => Promise.all([onA.socket.close(), onB.socket.close()]))
  const start = onA.welcome.revision
  t.equal(onB.welcome.revision, start)

  // Both replicas take commands for the same session at once: their appends conflict and retry.
  const perViewer = 40
  const send = (s: TestSocket, who: string) =>
    Promise.all(Array.from({ length: perViewer }, (_, i) => s.command({ type: 'chat', text: `${who} ${i}`, videoPosition: i }, `${who}-${i}`)))
  const [acksA, acksB] = await Promise.all([send(onA.socket, 'alice'), send(onB.socket, 'bob')])
  t.same([...acksA, ...acksB].filter((m) => m.type !== 'ack'), [], 'every command acknowledged')

  const last = start + 2 * perViewer
  await Promise.all([onA.socket.waitForRevision(last), onB.socket.waitForRevision(last)])
  t.same(revisions(onA.socket), contiguous(start + 1, last), 'replica A: every revision once, in order')
  const eventsOf = (s: TestSocket) => s.events().map((e) => [e.revision, e.event.by, e.event.type === 'ChatMessagePosted' ? e.event.data.text : ''])
  t.same(eventsOf(onB.socket), eventsOf(onA.socket), 'replica B saw exactly the same sequence')
  for (const who of ['alice', 'bob']) {
    const own = onA.socket.events().flatMap((e) => (e.event.type === 'ChatMessagePosted' && e.event.data.text.startsWith(who) ? [Number(e.event.data.text.split(' ')[1])] : []))
    t.same(own, contiguous(0, perViewer - 1), `${who}'s commands kept their order`)
  }
})

t.test('a replica that misses a NATS message fills the gap from the store', async (t) => {
  const id = await everyoneSession()
  const onA = await TestSocket.join(a.wsUrl(id), token(ALICE))
  const onB = await TestSocket.join(b.wsUrl(id), token(BOB))
  t.teardown(() => Promise.all([onA.socket.close(), onB.socket.close()]))
  // Both replicas up to date first (a welcome may be a NATS hop behind the store).
  const r = (await store.events.read(sessionStream(id), 'end', { direction: 'backwards', maxCount: 1 }))[0]!.revision
  const upTo = (s: TestSocket, welcome: number) => welcome >= r || s.events().some((e) => e.revision === r)
  await waitFor(() => upTo(onA.socket, onA.welcome.revision) && upTo(onB.socket, onB.welcome.revision), 5000, 'both replicas at the store revision')
  const seenBefore = (s: TestSocket) => s.events().filter((e) => e.revision <= r).length
  const [beforeA, beforeB] = [seenBefore(onA.socket), seenBefore(onB.socket)]

  // An event appended without any NATS message, as if the message had been lost.
  const lost = { type: 'ChatMessagePosted' as const, data: { messageId: 'lost', text: 'lost on the wire', videoPosition: 0 }, at: Date.now(), by: HOST }
  await store.events.append(sessionStream(id), [encodeSessionEvent(lost, 'lost')], r)

  // A command through A: A discovers the event by its append conflict, B by the gap.
  t.match(await onA.socket.command({ type: 'play', position: 5 }), { type: 'ack', revision: r + 2 })
  await onB.socket.waitForRevision(r + 2)
  t.same(revisions(onB.socket).slice(beforeB), [r + 1, r + 2], 'B delivered the missing event first')
  t.same(revisions(onA.socket).slice(beforeA), [r + 1, r + 2], 'so did A')

  // Lost with nothing after it: the periodic resync brings it.
  await store.events.append(sessionStream(id), [encodeSessionEvent({ ...lost, data: { ...lost.data, messageId: 'lost-2' } }, 'lost-2')], r + 2)
  await Promise.all([onA.socket.waitForRevision(r + 3, 5000), onB.socket.waitForRevision(r + 3, 5000)])
  t.same(revisions(onB.socket).slice(beforeB), [r + 1, r + 2, r + 3])
})

t.test('a late joiner after 10,000 events gets the state at once and can page back through all chat', async (t) => {
  const seeded = await seedSession(store, { events: 10_000, hostId: HOST, memberIds: [ALICE, BOB] })
  const started = performance.now()
  const late = await TestSocket.join(b.wsUrl(seeded.id), token(ALICE))
  const welcomeMs = performance.now() - started
  t.teardown(() => late.socket.close())
  t.equal(late.welcome.revision, 9_999)
  if (seeded.state.status === 'none') throw new Error('seeding failed')
  t.same(late.welcome.state.playback, seeded.state.playback, 'playback as folded from every event')
  t.same(late.welcome.state.members, [HOST, ALICE, BOB])
  t.comment(`welcome after 10,000 events: ${welcomeMs.toFixed(1)} ms (cold replica, snapshot + tail)`)

  let chat = 0
  let before: number | undefined
  let pages = 0
  let lastRevision = 10_000
  for (;;) {
    const at = late.socket.received.length - 1
    late.socket.send({ type: 'history', limit: 200, ...(before !== undefined ? { before } : {}) })
    const page = (await late.socket.next('history', 10_000, at)) as HistoryMessage
    pages++
    for (const e of page.events) {
      if (e.revision !== lastRevision - 1) throw new Error(`history skipped from ${lastRevision} to ${e.revision}`)
      lastRevision = e.revision
      if (e.event.type === 'ChatMessagePosted') chat++
    }
    if (!page.hasMore) break
    before = page.events.at(-1)!.revision
  }
  t.equal(lastRevision, 0, 'paged back to the first event without a gap')
  t.equal(chat, seeded.chatCount, `all ${seeded.chatCount} chat messages, in ${pages} pages`)
})

t.test('reconnecting to the other replica with since gets exactly the missed events', async (t) => {
  const id = await everyoneSession()
  const first = await TestSocket.join(a.wsUrl(id), token(ALICE))
  await first.socket.command({ type: 'play', position: 1 })
  const seen = first.socket.events().at(-1)!.revision
  await first.socket.close()

  const bob = await TestSocket.join(b.wsUrl(id), token(BOB))
  t.teardown(() => bob.socket.close())
  for (let i = 0; i < 6; i++) await bob.socket.command({ type: 'chat', text: `missed ${i}`, videoPosition: i })

  const back = await TestSocket.join(b.wsUrl(id), token(ALICE), seen)
  t.teardown(() => back.socket.close())
  await back.socket.waitForRevision(seen + 6)
  t.same(revisions(back.socket), contiguous(seen + 1, seen + 6))
  t.same(
    back.socket.events().map((e) => (e.event.type === 'ChatMessagePosted' ? e.event.data.text : '')),
    contiguous(0, 5).map((i) => `missed ${i}`),
  )
})

t.test('closing a replica mid-session loses no acknowledged command', async (t) => {
  // A third replica, so that closing it leaves A and B for the other tests.
  const doomed = await startSessionApp(t, world, { replicaId: 'replica-doomed', env, deps })
  const id = await everyoneSession()
  const observer = await TestSocket.join(b.wsUrl(id), token(BOB))
  t.teardown(() => observer.socket.close())

  let connection = await TestSocket.join(doomed.wsUrl(id), token(ALICE))
  let lastSeen = connection.welcome.revision
  const acked = new Map<string, number>()
  const total = 60
  let closing: Promise<void> | undefined
  let resumed = 0
  for (let i = 0; i < total; i++) {
    const commandId = `survivor-${i}`
    for (;;) {
      const socket = connection.socket
      socket.send({ type: 'command', id: commandId, command: { type: 'chat', text: `survivor ${i}`, videoPosition: i } })
      if (i === 20) closing = doomed.close()
      const answer = await socket
        .waitFor((m) => (m.type === 'ack' || m.type === 'reject') && 'id' in m && m.id === commandId, 10_000)
        .catch(() => null)
      lastSeen = Math.max(lastSeen, ...socket.events().map((e) => e.revision))
      if (answer?.type === 'ack') {
        acked.set(commandId, answer.revision)
        break
      }
      if (answer) throw new Error(`unexpected answer ${JSON.stringify(answer)}`)
      // The replica went away before answering: resume on the other one, retrying the same id.
      t.equal((await socket.closed).code, 1001, 'the closing replica says it is going away')
      connection = await TestSocket.join(b.wsUrl(id), token(ALICE), lastSeen)
      resumed++
    }
  }
  await closing
  t.teardown(() => connection.socket.close())
  t.equal(resumed, 1, 'the client resumed on the other replica once')
  t.equal(acked.size, total, 'every command was acknowledged once the client resumed')

  const stored = await store.events.read(sessionStream(id), 'start')
  const byCommand = new Map<string, number[]>()
  for (const e of stored) {
    const cid = e.metadata.commandId as string
    byCommand.set(cid, [...(byCommand.get(cid) ?? []), e.revision])
  }
  const lost = [...acked].filter(([cid, revision]) => !byCommand.get(cid)?.includes(revision))
  t.same(lost, [], 'each acknowledged command is stored at the acknowledged revision')
  t.ok([...acked.keys()].every((cid) => byCommand.get(cid)?.length === 1), 'and stored exactly once')

  const finalRevision = stored.at(-1)!.revision
  await observer.socket.waitForRevision(finalRevision)
  t.same(revisions(observer.socket), contiguous(observer.welcome.revision + 1, finalRevision), 'the observer on B saw every event once, in order')
  const replayed = connection.socket.events().map((e: EventMessage) => e.revision)
  t.same(replayed, [...new Set(replayed)].sort((x, y) => x - y), 'the resumed client saw no repeats after resuming')
})
