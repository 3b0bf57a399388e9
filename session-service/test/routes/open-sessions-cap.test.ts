import t from 'tap'
import { randomUUID } from 'node:crypto'
import { waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

// The cap on sessions one user holds open as host, counted from the lobby projection that every
// replica builds from the store.

const world = await createWorld(t)
const env = { MAX_OPEN_SESSIONS_PER_HOST: '2', RATE_LIMIT_CREATES: '100' }
const replicaA = await startSessionApp(t, world, { env, replicaId: 'cap-a' })
const replicaB = await startSessionApp(t, world, { env, replicaId: 'cap-b' })
const token = (user: string) => world.issuer.sign(user)
const body = { title: 'Movie night', videoUrl: 'https://videos.example/a.mp4', visibility: 'public' }
const create = (baseUrl: string, user: string) => api<{ id: string; error?: { code: string; message: string } }>(baseUrl, 'POST', '/v1/sessions', token(user), body)
const hostedIn = async (baseUrl: string, user: string) =>
  (await api<{ sessions: Array<{ hostId: string }> }>(baseUrl, 'GET', '/v1/sessions', token(randomUUID()))).body.sessions.filter((s) => s.hostId === user).length

t.test('a third open session is refused with 409 too_many_open_sessions; ending one frees its slot', async (t) => {
  const HOST = randomUUID()
  const first = await createSession(replicaA.baseUrl, token(HOST))
  await createSession(replicaA.baseUrl, token(HOST))
  const third = await create(replicaA.baseUrl, HOST)
  t.equal(third.status, 409)
  t.equal(third.body.error?.code, 'too_many_open_sessions')
  t.match(third.body.error?.message, /end one/)
  t.equal(await hostedIn(replicaA.baseUrl, HOST), 2)
  t.equal((await create(replicaA.baseUrl, randomUUID())).status, 201, 'another host is not affected')

  t.equal((await api(replicaA.baseUrl, 'POST', `/v1/sessions/${first.id}/end`, token(HOST))).status, 200)
  t.equal((await create(replicaA.baseUrl, HOST)).status, 201, 'ending a session freed a slot')
  t.equal((await create(replicaA.baseUrl, HOST)).status, 409)
})

t.test('creates sent at once do not slip past the cap', async (t) => {
  const HOST = randomUUID()
  const statuses = (await Promise.all(Array.from({ length: 6 }, () => create(replicaA.baseUrl, HOST)))).map((r) => r.status).sort()
  t.same(statuses, [201, 201, 409, 409, 409, 409])
  t.equal(await hostedIn(replicaA.baseUrl, HOST), 2)
})

t.test('the cap counts the sessions the user holds on every replica', async (t) => {
  const HOST = randomUUID()
  await createSession(replicaA.baseUrl, token(HOST))
  await createSession(replicaA.baseUrl, token(HOST))
  await waitFor(async () => (await hostedIn(replicaB.baseUrl, HOST)) === 2, 15_000, 'replica B to list the sessions started on A')
  const refused = await create(replicaB.baseUrl, HOST)
  t.same([refused.status, refused.body.error?.code], [409, 'too_many_open_sessions'])
})
