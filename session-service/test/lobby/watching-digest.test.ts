import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { LobbyResponse } from '@tandem/contracts'
import { NatsClient } from '@tandem/service-kit'
import { SessionSocket, waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp, type RunningSessionApp } from '../fixtures/session-app.ts'

/**
 * The lobby's "watching now" across replicas comes from each replica's presence digest, not from
 * the sessions' own subjects: a replica counts the viewers of a session it has never loaded. A
 * replica that stops sending its digest stops counting once the time to live has passed (short
 * here: renewed every 200 ms, counted for 1.5 s).
 */
const env = { PRESENCE_ANNOUNCE_MS: '200', PRESENCE_TTL_MS: '1500' }
const world = await createWorld(t)
const token = (user: string) => world.issuer.sign(user)
const [HOST, ALICE, BOB] = [randomUUID(), randomUUID(), randomUUID()]

const a = await startSessionApp(t, world, { replicaId: 'replica-a', env })
const b = await startSessionApp(t, world, { replicaId: 'replica-b', env })
// Replica C's NATS connection belongs to the test, which cuts it as if C had died.
const cNats = new NatsClient({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'replica-c (test)' })
t.teardown(() => cNats.close())
const c = await startSessionApp(t, world, { replicaId: 'replica-c', env, deps: { nats: cNats } })

async function watchingOn(replica: RunningSessionApp, id: string, title: string): Promise<number | undefined> {
  const res = await api<LobbyResponse>(replica.baseUrl, 'GET', `/v1/sessions?q=${encodeURIComponent(title)}`, token(BOB))
  return res.body.sessions.find((s) => s.id === id)?.watching
}

t.test("viewers on A and C count in B's lobby, which never loads the session; C's stop counting when C goes silent", async (t) => {
  const title = `digest ${randomUUID()}`
  const { id } = await createSession(a.baseUrl, token(HOST), { title })
  for (const user of [ALICE, BOB]) await api(a.baseUrl, 'POST', `/v1/sessions/${id}/join`, token(user))
  await waitFor(async () => (await watchingOn(b, id, title)) === 0, 10_000, 'B to list the session')
  await cNats.connected

  const alice = await SessionSocket.join(c.wsUrl(id), token(ALICE))
  t.teardown(() => alice.socket.close())
  const bob = await SessionSocket.join(a.wsUrl(id), token(BOB))
  t.teardown(() => bob.socket.close())
  await waitFor(async () => (await watchingOn(b, id, title)) === 2, 10_000, 'B to count the viewers on A and C')
  t.equal(await watchingOn(a, id, title), 2, 'so does A')

  const onB = b.app.sessionHub.natsStats()
  t.equal(onB.subscribedSessions, 0, 'B is subscribed to no session')
  t.equal(onB.messagesReceived.events + onB.messagesReceived.ephemeral, 0, "B received none of the session's messages")
  t.ok(onB.messagesReceived.presence > 0, `B counted from the digests (${onB.messagesReceived.presence} digest messages)`)

  // C's connection is gone: C sends no digest, not even a goodbye, but its socket stays open.
  await cNats.close()
  await waitFor(async () => (await watchingOn(b, id, title)) === 1, 10_000, "B to drop C's viewer after the time to live")
  await waitFor(async () => (await watchingOn(a, id, title)) === 1, 10_000, 'and A')
  t.ok(alice.socket.isOpen, "alice's socket on C is still open: she stopped counting because C went silent")
  // Bob, renewed by A every 200 ms, keeps counting past twice the time to live (A's and B's own
  // digests, 10 a second, are what B receives).
  const received = b.app.sessionHub.natsStats().messagesReceived.presence
  await waitFor(() => b.app.sessionHub.natsStats().messagesReceived.presence >= received + 30, 20_000, 'B to receive more digests')
  t.equal(await watchingOn(b, id, title), 1, "A's viewer still counts")
})
