import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { EventMessage } from '@tandem/contracts'
import { SessionSocket as TestSocket } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { decodeSessionEvent, sessionStream } from '../../src/stream/session-stream.ts'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

// Every viewer's player reports the end of an item, on whichever replica it is connected to.
// Reports of one end sent at once through two replicas must advance the queue exactly once.

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const BOB = randomUUID()
const CAROL = randomUUID()
const token = (user: string) => world.issuer.sign(user)
const a = await startSessionApp(t, world, { replicaId: 'replica-a' })
const b = await startSessionApp(t, world, { replicaId: 'replica-b' })
const store = await openEventStore(world.database.url, { poolSize: 2 })
t.teardown(() => store.close())

const ROUNDS = 5

t.test('two end reports of one item at once on two replicas: one VideoChanged, both acknowledged, seen by every viewer', async (t) => {
  const { id } = await createSession(a.baseUrl, token(HOST))
  for (const [user, replica] of [[ALICE, a], [BOB, b], [CAROL, b]] as const) await api(replica.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(user))
  const viewers = await Promise.all([
    TestSocket.join(a.wsUrl(id), token(HOST)),
    TestSocket.join(a.wsUrl(id), token(ALICE)),
    TestSocket.join(b.wsUrl(id), token(BOB)),
    TestSocket.join(b.wsUrl(id), token(CAROL)),
  ])
  t.teardown(() => Promise.all(viewers.map(({ socket }) => socket.close())))
  const [host, alice, bob] = viewers.map(({ socket }) => socket) as [TestSocket, TestSocket, TestSocket]
  const sockets = viewers.map(({ socket }) => socket)

  const items = Array.from({ length: ROUNDS + 1 }, (_, n) => ({ url: `https://videos.example/part-${n}.mp4`, title: `Part ${n}` }))
  t.match(await host.command({ type: 'queueAdd', items }), { type: 'ack' })
  const play = await host.command({ type: 'play', position: 0 })
  if (play.type !== 'ack') return t.fail(`play refused: ${JSON.stringify(play)}`)
  let revision = play.revision
  let playing = 'r0'

  for (let round = 1; round <= ROUNDS; round++) {
    // Both replicas have applied everything so far: each decides on the same state.
    await Promise.all(sockets.map((s) => s.waitForRevision(revision)))
    const report = { type: 'advance', from: playing, reason: 'ended', duration: 1 } as const
    const [onA, onB] = await Promise.all([alice.command(report), bob.command(report)])
    t.equal(onA.type, 'ack', `round ${round}: the report through replica A is acknowledged`)
    t.equal(onB.type, 'ack', `round ${round}: the report through replica B is acknowledged`)
    const reached = Math.max(onA.type === 'ack' ? onA.revision : 0, onB.type === 'ack' ? onB.revision : 0)
    t.equal(reached, revision + 1, `round ${round}: one event appended`)
    await Promise.all(sockets.map((s) => s.waitForRevision(reached)))
    for (const [i, s] of sockets.entries()) {
      const changed = s.events().filter((e): e is EventMessage & { event: { type: 'VideoChanged' } } => e.revision > revision && e.event.type === 'VideoChanged')
      t.equal(changed.length, 1, `round ${round}: viewer ${i + 1} sees one VideoChanged`)
      t.match(changed[0]?.event.data, { reason: 'ended', playing: true, item: { title: `Part ${round - 1}` } })
    }
    revision = reached
    // created r0, three joins r1–r3, the parts r4 on
    playing = `r${3 + round}`
  }

  const stored = (await store.events.read(sessionStream(id), 'start', { maxCount: 1000 })).map((e) => decodeSessionEvent(e).event)
  t.equal(stored.filter((e) => e.type === 'VideoChanged').length, ROUNDS, 'the store holds one change per end')
  for (const s of sockets) {
    const seen = s.events().map((e) => e.revision)
    t.same(seen, Array.from({ length: seen.length }, (_, i) => seen[0]! + i), 'every revision once, in order')
    t.equal(seen.at(-1), revision)
  }
})
