import t from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { SessionSocket } from '@tandem/service-kit/testing'
import { createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

// Per-user REST budgets with small limits, against a real service: a loop that would append
// events (join/leave) or sessions (create) is cut off with 429 and Retry-After, and the store
// stops growing.

const world = await createWorld(t)
const server = await startSessionApp(t, world, {
  env: { RATE_LIMIT_READS: '20', RATE_LIMIT_MEMBERSHIP: '6', RATE_LIMIT_CREATES: '3', RATE_LIMIT_UNAUTHENTICATED: '5', MAX_OPEN_SESSIONS_PER_HOST: '100' },
})
const token = (user: string) => world.issuer.sign(user)
const db = new pg.Client({ connectionString: world.database.url })
await db.connect()
t.teardown(() => db.end())
const storedEvents = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)

interface Answer {
  status: number
  retryAfter: string | null
  body: { error?: { code: string; message: string }; revision?: number; sessions?: unknown[] }
}
async function call(method: string, path: string, bearer: string | null, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (bearer) headers.authorization = `Bearer ${bearer}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] }
}

t.test('a join/leave loop is cut off with 429 and Retry-After; the events every viewer gets stop growing', async (t) => {
  const HOST = randomUUID()
  const LOOPER = randomUUID()
  const session = await createSession(server.baseUrl, token(HOST))
  const { socket: viewer } = await SessionSocket.join(server.wsUrl(session.id), token(HOST))
  t.teardown(() => viewer.close())

  const answers: Answer[] = []
  for (let i = 0; i < 10; i++) answers.push(await call('POST', `/v1/sessions/${session.id}/${i % 2 === 0 ? 'join' : 'leave'}`, token(LOOPER)))
  t.same(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200, 429, 429, 429, 429], 'six membership changes, then 429')
  const refused = answers[6]!
  t.same(refused.body.error?.code, 'rate_limited')
  t.type(refused.body.error?.message, 'string')
  t.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 60, `retry-after: ${refused.retryAfter} s`)

  await viewer.waitForRevision(6)
  const events = await storedEvents()
  for (let i = 0; i < 5; i++) t.equal((await call('POST', `/v1/sessions/${session.id}/join`, token(LOOPER))).status, 429)
  t.equal(await storedEvents(), events, 'no event was stored after the cut-off')
  t.equal((await call('GET', `/v1/sessions/${session.id}`, token(LOOPER))).body.revision, 6, 'the session is at the last allowed change')
  t.equal(viewer.events().at(-1)?.revision, 6, 'the viewer got nothing after it')

  t.equal((await call('POST', `/v1/sessions/${session.id}/join`, token(randomUUID()))).status, 200, 'another user has a budget of their own')
})

t.test('a create loop is cut off with 429 and Retry-After; the lobby stops growing', async (t) => {
  const LOOPER = randomUUID()
  const lobbyOf = async (user: string) => ((await call('GET', '/v1/sessions', token(randomUUID()))).body.sessions as Array<{ hostId: string }>).filter((s) => s.hostId === user).length
  const body = { title: 'Spam night', videoUrl: 'https://videos.example/spam.mp4', visibility: 'public' }
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await call('POST', '/v1/sessions', token(LOOPER), body)).status)
  t.same(statuses, [201, 201, 201, 429, 429, 429])
  const refused = await call('POST', '/v1/sessions', token(LOOPER), body)
  t.same([refused.status, refused.body.error?.code], [429, 'rate_limited'])
  t.ok(Number(refused.retryAfter) >= 1, `retry-after: ${refused.retryAfter} s`)
  t.equal(await lobbyOf(LOOPER), 3, 'the lobby lists the three sessions created before the cut-off')
  const events = await storedEvents()
  for (let i = 0; i < 3; i++) t.equal((await call('POST', '/v1/sessions', token(LOOPER), body)).status, 429)
  t.equal(await storedEvents(), events, 'nothing was stored after the cut-off')
  t.equal(await lobbyOf(LOOPER), 3)
  t.equal((await call('GET', '/v1/sessions', token(LOOPER))).status, 200, 'reads have a budget of their own')
})

t.test('reads are limited by a budget of their own', async (t) => {
  const READER = randomUUID()
  const statuses: number[] = []
  for (let i = 0; i < 22; i++) statuses.push((await call('GET', i % 2 ? '/v1/sessions' : `/v1/sessions/${randomUUID()}`, token(READER))).status)
  t.same(statuses.slice(20), [429, 429], 'the 21st read of the window is refused')
  t.notOk(statuses.slice(0, 20).includes(429), 'the first 20 were answered')
})

t.test('refused tokens are counted per client address; health, readiness and docs are not limited', async (t) => {
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) statuses.push((await call('GET', '/v1/sessions', i % 2 ? 'not-a-token' : null)).status)
  t.same(statuses, [401, 401, 401, 401, 401, 429, 429])
  const refused = await call('POST', '/v1/sessions/x/join', null)
  t.same([refused.status, refused.body.error?.code], [429, 'rate_limited'])
  t.ok(refused.retryAfter)
  t.equal((await call('GET', '/v1/sessions', token(randomUUID()))).status, 200, 'a valid token from the same address is counted per user')
  for (const path of ['/healthz', '/readyz', '/docs/json']) {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${server.baseUrl}${path}`)
      await res.arrayBuffer()
      if (res.status !== 200) t.fail(`${path}: ${res.status}`)
    }
  }
  t.pass('health, readiness and docs answered 10 times each after the address budget was spent')
})
