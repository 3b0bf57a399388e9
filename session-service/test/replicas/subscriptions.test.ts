import t from 'tap'
import { randomUUID } from 'node:crypto'
import { connect } from 'nats'
import { natsTopology } from '@tandem/contracts'
import { SessionSocket as TestSocket, waitFor } from '@tandem/service-kit/testing'
import { createSession, createWorld, startSessionApp, type RunningSessionApp } from '../fixtures/session-app.ts'

/**
 * Each replica subscribes to the subjects of the sessions it has loaded, and only while it has
 * them loaded (plus a linger): the NATS messages it receives are those of its own sessions.
 */

const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)
const LINGER_MS = 3000
// No periodic re-read of the store: a socket that missed an event would wait for it in vain.
const env = { SESSION_LINGER_MS: String(LINGER_MS), RESYNC_INTERVAL_MS: '600000' }
const deps = { connectionLimits: { commandBurst: 10_000, commandsPerSecond: 10_000 } }
const replicas = [
  await startSessionApp(t, world, { replicaId: 'replica-a', env, deps }),
  await startSessionApp(t, world, { replicaId: 'replica-b', env, deps }),
  await startSessionApp(t, world, { replicaId: 'replica-c', env, deps }),
]
const [a, b] = replicas as [RunningSessionApp, RunningSessionApp, RunningSessionApp]
const stats = (replica: RunningSessionApp) => replica.app.sessionHub.natsStats()

/** Every message on every session's events subject of this test's namespace, as NATS delivers them to an outside subscriber. */
const topology = natsTopology(world.namespace)
const observer = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' })
t.teardown(() => observer.close())
const published = new Map<string, { messages: number; lastRevision: number }>()
observer.subscribe(topology.sessionEvents('*'), {
  callback: (err, msg) => {
    if (err) return
    const id = msg.subject.split('.').at(-2)!
    const seen = published.get(id) ?? { messages: 0, lastRevision: -1 }
    const { events } = msg.json<{ events: Array<{ revision: number }> }>()
    published.set(id, { messages: seen.messages + 1, lastRevision: Math.max(seen.lastRevision, ...events.map((e) => e.revision)) })
  },
})
await observer.flush()

t.test('with 3 replicas serving 2 sessions each, each replica receives the events of its own sessions only', async (t) => {
  const HOST = randomUUID()
  const served = await Promise.all(
    replicas.map(async (replica) => {
      const ids = [(await createSession(replica.baseUrl, token(HOST))).id, (await createSession(replica.baseUrl, token(HOST))).id]
      const sockets = await Promise.all(ids.map(async (id) => (await TestSocket.join(replica.wsUrl(id), token(HOST))).socket))
      t.teardown(() => Promise.all(sockets.map((s) => s.close())))
      return { replica, ids, sockets }
    }),
  )
  const COMMANDS = 5
  const lastAcked = new Map<string, number>()
  await Promise.all(
    served.flatMap(({ ids, sockets }) =>
      ids.map(async (id, i) => {
        for (let n = 0; n < COMMANDS; n++) {
          const ack = await sockets[i]!.command({ type: 'chat', text: `chat ${n}`, videoPosition: n })
          if (ack.type !== 'ack') throw new Error(`refused: ${JSON.stringify(ack)}`)
          lastAcked.set(id, ack.revision)
        }
      }),
    ),
  )
  // Every session has one publisher (the replica serving it), whose messages NATS keeps in order:
  // once the last one is here, all of them are.
  const allIds = served.flatMap((s) => s.ids)
  await waitFor(() => allIds.every((id) => published.get(id)?.lastRevision === lastAcked.get(id)), 10_000, 'every event message at the outside subscriber')
  const expected = served.map(({ ids }) => ids.reduce((sum, id) => sum + published.get(id)!.messages, 0))
  t.ok(expected.every((n) => n >= 2 * COMMANDS), `messages per replica's sessions: ${expected.join(', ')}`)
  await waitFor(() => served.every(({ replica }, i) => stats(replica).messagesReceived.events >= expected[i]!), 10_000, 'every replica to receive its messages')

  t.same(
    served.map(({ replica }) => stats(replica).messagesReceived.events),
    expected,
    "each replica received exactly the event messages of its two sessions, none of the others' four",
  )
  t.same(
    served.map(({ replica }) => stats(replica).subscribedSessions),
    [2, 2, 2],
    'each replica is subscribed to its two sessions',
  )
})

t.test('the last socket gone, the subscription stays for the linger: a socket within it reuses the session, then it goes', async (t) => {
  const d = await startSessionApp(t, world, { replicaId: 'replica-d', env, deps })
  const hub = d.app.sessionHub
  const HOST = randomUUID()
  const { id } = await createSession(d.baseUrl, token(HOST))
  const first = await TestSocket.join(d.wsUrl(id), token(HOST))
  t.equal(hub.natsStats().subscribedSessions, 1, 'subscribed while a socket uses it')
  const peek = await hub.acquire(id)
  const room = peek.room
  peek.release()

  await first.socket.close()
  await waitFor(() => room.connectionCount === 0, 5000, 'the replica to see the socket leave')
  const second = await TestSocket.join(d.wsUrl(id), token(HOST))
  t.teardown(() => second.socket.close())
  t.equal(hub.natsStats().subscribedSessions, 1, 'still subscribed')
  const again = await hub.acquire(id)
  t.equal(again.room, room, 'the socket within the linger found the session still loaded, not loaded anew')
  again.release()
  t.match(await second.socket.command({ type: 'chat', text: 'still here', videoPosition: 0 }), { type: 'ack' })

  await second.socket.close()
  await waitFor(() => hub.natsStats().subscribedSessions === 0, LINGER_MS + 10_000, 'the subscription to go after the linger')
  const third = await hub.acquire(id)
  t.not(third.room, room, 'after the linger the session is loaded anew')
  t.equal(hub.natsStats().subscribedSessions, 1, 'and subscribed again')
  third.release()
})

t.test('a socket joining replica B while events are appended through replica A misses none', async (t) => {
  const HOST = randomUUID()
  const ROUNDS = 8
  for (let round = 0; round < ROUNDS; round++) {
    const { id } = await createSession(a.baseUrl, token(HOST))
    const writer = (await TestSocket.join(a.wsUrl(id), token(HOST))).socket
    let joined = false
    let last = 0
    let sent = 0
    // Commands go on until B has welcomed its socket, and a few after.
    const writing = (async () => {
      let after = 0
      while (!joined || after++ < round % 3) {
        const ack = await writer.command({ type: 'chat', text: `round ${round} chat ${sent}`, videoPosition: sent })
        if (ack.type !== 'ack') throw new Error(`refused: ${JSON.stringify(ack)}`)
        last = ack.revision
        sent++
      }
    })()
    await waitFor(() => sent >= 1 + round, 10_000, 'some events before the join')
    const viewer = await TestSocket.join(b.wsUrl(id), token(HOST))
    joined = true
    await writing
    await viewer.socket.waitForRevision(last, 10_000)
    const revisions = viewer.socket.events().map((e) => e.revision)
    const from = viewer.welcome.revision + 1
    t.same(revisions, Array.from({ length: last - from + 1 }, (_, i) => from + i), `round ${round}: every revision after the welcome (${from}…${last}) once, in order`)
    await Promise.all([writer.close(), viewer.socket.close()])
  }
})
