import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { SYSTEM_ACTOR, type LobbyResponse, type SessionResponse } from '@tandem/contracts'
import { SessionSocket, waitFor } from '@tandem/service-kit/testing'
import { openEventStore } from '../../src/event-store/open-event-store.ts'
import { decodeSessionEvent, sessionStream } from '../../src/stream/session-stream.ts'
import { api, createSession, createWorld, startSessionApp, type RunningSessionApp, type SessionTestWorld } from '../fixtures/session-app.ts'

/**
 * The lobby across replicas: watching counts, and idle end with both replicas sweeping. Idle
 * time is 10 s of a shared clock the tests move forward, so "idle for long enough" is a state the
 * test sets, not a wait; the clock stays within the presence time to live (30 s) per step.
 */
const IDLE_END_MS = 10_000
const env = { IDLE_END_MS: String(IDLE_END_MS) }

function testClock() {
  const clock = { skew: 0, now: () => Date.now() + clock.skew }
  return clock
}

const world = await createWorld(t)
const clock = testClock()
const a = await startSessionApp(t, world, { replicaId: 'replica-a', env, deps: { now: clock.now } })
const b = await startSessionApp(t, world, { replicaId: 'replica-b', env, deps: { now: clock.now } })
const HOST = randomUUID()
const ALICE = randomUUID()
const BOB = randomUUID()

/** REST and store look-ups in one world, with its tokens. */
function toolsFor(w: SessionTestWorld) {
  const token = (user: string) => w.issuer.sign(user)
  const listedOn = async (app: RunningSessionApp, id: string, title: string) => {
    const res = await api<LobbyResponse>(app.baseUrl, 'GET', `/v1/sessions?q=${encodeURIComponent(title)}`, token(ALICE))
    return res.body.sessions.find((s) => s.id === id)
  }
  return {
    token,
    listedOn,
    watchingOn: async (app: RunningSessionApp, id: string, title: string) => (await listedOn(app, id, title))?.watching,
    statusOf: async (app: RunningSessionApp, id: string) => (await api<SessionResponse>(app.baseUrl, 'GET', `/v1/sessions/${id}`, token(HOST))).body,
    async publicSession(app: RunningSessionApp, title: string, members: string[] = []) {
      const { id } = await createSession(app.baseUrl, token(HOST), { title, visibility: 'public' })
      for (const m of members) await api(app.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(m))
      return id
    },
    /** The SessionEnded events in the session's stream. */
    async endsIn(id: string) {
      const store = await openEventStore(w.database.url, { poolSize: 1 })
      try {
        return (await store.events.read(sessionStream(id), 'start')).map((r) => decodeSessionEvent(r).event).filter((e) => e.type === 'SessionEnded')
      } finally {
        await store.close()
      }
    },
  }
}
const { token, listedOn, watchingOn, statusOf, publicSession, endsIn } = toolsFor(world)

/**
 * Ends a session when the test is over, so that the next test's sweeps find only its own
 * sessions idle (a sweep that ends several goes one by one, and skips one that another
 * replica has ended meanwhile).
 */
function endAfter(t: Test, ...ids: string[]) {
  t.teardown(() => Promise.all(ids.map((id) => api(a.baseUrl, 'POST', `/v1/sessions/${id}/end`, token(HOST)))))
}

/** Both replicas' sweeps at the same moment. */
const sweepBoth = () => Promise.all([a.app.idleSweeper.sweep(), b.app.idleSweeper.sweep()])

t.test("a socket on replica A counts in replica B's lobby; a user counts once", async (t) => {
  const title = `watched ${randomUUID()}`
  const id = await publicSession(a, title, [ALICE, BOB])
  endAfter(t, id)
  t.equal(await waitFor(() => listedOn(b, id, title), 5000, 'B to list the session').then((s) => s.watching), 0)

  const alice = await SessionSocket.join(a.wsUrl(id), token(ALICE))
  t.teardown(() => alice.socket.close())
  await waitFor(async () => (await watchingOn(b, id, title)) === 1, 5000, 'B to count the viewer on A')
  t.equal(await watchingOn(a, id, title), 1, 'A counts its own')

  const bob = await SessionSocket.join(b.wsUrl(id), token(BOB))
  const aliceAgain = await SessionSocket.join(b.wsUrl(id), token(ALICE))
  t.teardown(() => aliceAgain.socket.close())
  await waitFor(async () => (await watchingOn(a, id, title)) === 2, 5000, 'A to count the viewers on B')
  t.equal(await watchingOn(b, id, title), 2, 'alice, open on both replicas, counts once')

  await bob.socket.close()
  await waitFor(async () => (await watchingOn(a, id, title)) === 1, 5000, 'A to see bob leave')
  await aliceAgain.socket.close()
  await alice.socket.close()
  await waitFor(async () => (await watchingOn(b, id, title)) === 0 && (await watchingOn(a, id, title)) === 0, 5000, 'nobody left')
})

t.test('the most watched session comes first in every replica', async (t) => {
  const word = `order-${randomUUID().slice(0, 8)}`
  const quiet = await publicSession(a, `${word} quiet`)
  const busy = await publicSession(a, `${word} busy`, [ALICE])
  const newest = await publicSession(a, `${word} newest`)
  endAfter(t, quiet, busy, newest)
  const viewer = await SessionSocket.join(a.wsUrl(busy), token(ALICE))
  t.teardown(() => viewer.socket.close())
  const order = async (app: RunningSessionApp) => (await api<LobbyResponse>(app.baseUrl, 'GET', `/v1/sessions?q=${word}`, token(BOB))).body.sessions.map((s) => s.id)
  const expected = [busy, newest, quiet].join()
  await waitFor(async () => (await order(b)).join() === expected, 5000, 'B to order by watching')
  t.same(await order(a), [busy, newest, quiet])
})

t.test('two replicas sweeping at once end an idle session exactly once', async (t) => {
  const title = `idle ${randomUUID()}`
  const id = await publicSession(a, title, [ALICE])
  await waitFor(() => listedOn(b, id, title), 5000, 'B to know the session')

  clock.skew += IDLE_END_MS + 1000
  const [onA, onB] = await sweepBoth()
  t.ok(onA.tried.includes(id) && onB.tried.includes(id), 'both replicas found it idle and sent endIdle')
  t.equal([...onA.ended, ...onB.ended].filter((e) => e === id).length, 1, "one replica's append won; the other's decided nothing")

  const ends = await endsIn(id)
  t.same(ends.map((e) => [e.data, e.by]), [[{ reason: 'idle' }, SYSTEM_ACTOR]], 'the stream holds exactly one SessionEnded, reason idle, by the system')
  t.match(await statusOf(b, id), { status: 'ended', endReason: 'idle' })
  await waitFor(async () => !(await listedOn(a, id, title)) && !(await listedOn(b, id, title)), 5000, 'both lobbies to drop it')
})

t.test('a session with a socket open is not ended; idle counts from when its last viewer left', async (t) => {
  const title = `watched-idle ${randomUUID()}`
  const watched = await publicSession(a, title, [ALICE])
  const unwatched = await publicSession(a, `unwatched ${randomUUID()}`)
  const alice = await SessionSocket.join(a.wsUrl(watched), token(ALICE))
  await waitFor(async () => (await watchingOn(b, watched, title)) === 1, 5000, 'B to count the viewer on A')

  clock.skew += IDLE_END_MS + 1000
  const [onA, onB] = await sweepBoth()
  t.ok(onA.tried.includes(unwatched) && onB.tried.includes(unwatched), 'the unwatched one, as idle, was ended')
  t.notOk([...onA.tried, ...onB.tried].includes(watched), 'neither replica tried to end the watched one')
  t.equal((await statusOf(a, watched)).status, 'open')

  await alice.socket.close()
  await waitFor(async () => (await watchingOn(b, watched, title)) === 0, 5000, 'B to see the viewer leave')
  const right = await sweepBoth()
  t.notOk(right.some((r) => r.tried.includes(watched)), 'not idle just after its viewer left, however old its last event')

  clock.skew += IDLE_END_MS + 1000
  const later = await sweepBoth()
  t.equal(later.flatMap((r) => r.ended).filter((e) => e === watched).length, 1, 'idle for the whole time since: ended')
  t.same((await endsIn(watched)).map((e) => e.data), [{ reason: 'idle' }])
})

t.test('a restarted replica does not end a session early', async (t) => {
  // A world of its own: the replicas above would end its sessions on their own clock.
  const own = await createWorld(t)
  const ownClock = testClock()
  const { token, listedOn, statusOf, publicSession, endsIn } = toolsFor(own)
  const first = await startSessionApp(t, own, { env, deps: { now: ownClock.now } })
  const title = `restart ${randomUUID()}`
  const id = await publicSession(first, title)
  const { id: hidden } = await createSession(first.baseUrl, token(HOST), { title: 'private one', visibility: 'private' })
  await first.close()

  ownClock.skew += 2 * IDLE_END_MS
  const restarted = await startSessionApp(t, own, { env, deps: { now: ownClock.now } })
  await waitFor(() => listedOn(restarted, id, title), 5000, 'the restarted lobby to rebuild')
  t.same(await restarted.app.idleSweeper.sweep(), { tried: [], ended: [] }, 'its last event is long past, but the replica has just started')
  t.equal((await statusOf(restarted, id)).status, 'open')

  ownClock.skew += IDLE_END_MS
  const swept = await restarted.app.idleSweeper.sweep()
  t.same(swept.ended.sort(), [id, hidden].sort(), 'once the replica has run for the idle time, both end, the private one too')
  t.same((await endsIn(id)).map((e) => e.data), [{ reason: 'idle' }])
})
