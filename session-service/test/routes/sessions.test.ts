import t from 'tap'
import { randomUUID } from 'node:crypto'
import { waitFor } from '@tandem/service-kit/testing'
import type { LobbyResponse, SessionResponse } from '@tandem/contracts'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const ALICE = randomUUID()
const hostToken = world.issuer.sign(HOST)
const aliceToken = world.issuer.sign(ALICE)

t.test('create, get, join, leave, end', async (t) => {
  const { baseUrl } = await startSessionApp(t, world)
  const created = await api<Record<string, unknown>>(baseUrl, 'POST', '/v1/sessions', hostToken, {
    title: '  Movie night ',
    videoUrl: 'https://videos.example/a.mp4',
    visibility: 'public',
  })
  t.equal(created.status, 201)
  const id = created.body.id as string
  t.match(id, /^[0-9a-f-]{36}$/)
  t.same(created.body, { id, title: 'Movie night', videoUrl: 'https://videos.example/a.mp4', hostId: HOST, controlMode: 'host', revision: 0 })

  const got = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, aliceToken)
  t.equal(got.status, 200)
  t.match(got.body, { id, status: 'open', members: [HOST], hostId: HOST, revision: 0, playback: { status: 'paused', position: 0, rate: 1 } })

  t.same((await api(baseUrl, 'POST', `/v1/sessions/${id}/join`, aliceToken)).body, { revision: 1 })
  t.same((await api(baseUrl, 'POST', `/v1/sessions/${id}/join`, aliceToken)).body, { revision: 1 }, 'joining twice is a no-op')
  t.same((await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, aliceToken)).body.members, [HOST, ALICE])

  const aliceEnds = await api(baseUrl, 'POST', `/v1/sessions/${id}/end`, aliceToken)
  t.same(aliceEnds, { status: 403, body: { error: { code: 'not_host', message: 'only the host ends the session' } } })

  t.same((await api(baseUrl, 'POST', `/v1/sessions/${id}/leave`, aliceToken)).body, { revision: 2 })
  const leaveAgain = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${id}/leave`, aliceToken)
  t.equal(leaveAgain.status, 403)
  t.equal(leaveAgain.body.error.code, 'not_member')

  t.same((await api(baseUrl, 'POST', `/v1/sessions/${id}/end`, hostToken)).body, { revision: 3 })
  const ended = await api<SessionResponse>(baseUrl, 'GET', `/v1/sessions/${id}`, aliceToken)
  t.equal(ended.body.status, 'ended')
  t.type(ended.body.endedAt, 'number')
  const joinEnded = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${id}/join`, aliceToken)
  t.same([joinEnded.status, joinEnded.body.error.code], [409, 'session_ended'])
})

t.test('unknown ids are 404', async (t) => {
  const { baseUrl } = await startSessionApp(t, world)
  for (const path of [`/v1/sessions/${randomUUID()}`, '/v1/sessions/not-a-uuid', '/v1/sessions/..%2F..']) {
    const res = await api<{ error: { code: string } }>(baseUrl, 'GET', path, aliceToken)
    t.same([res.status, res.body.error.code], [404, 'session_not_found'], path)
  }
  for (const action of ['join', 'leave', 'end']) {
    const res = await api<{ error: { code: string } }>(baseUrl, 'POST', `/v1/sessions/${randomUUID()}/${action}`, aliceToken)
    t.same([res.status, res.body.error.code], [404, 'session_not_found'], action)
  }
})

t.test('every route needs a valid access token', async (t) => {
  const { baseUrl } = await startSessionApp(t, world)
  const { id } = await createSession(baseUrl, hostToken)
  const expired = world.issuer.sign(ALICE, { exp: Math.floor(Date.now() / 1000) - 60 })
  const wrongAudience = world.issuer.sign(ALICE, { aud: 'elsewhere' })
  for (const token of [null, 'garbage', expired, wrongAudience]) {
    for (const [method, path] of [['GET', '/v1/sessions'], ['GET', `/v1/sessions/${id}`], ['POST', '/v1/sessions'], ['POST', `/v1/sessions/${id}/join`]] as const) {
      const res = await api<{ error: { code: string } }>(baseUrl, method, path, token, method === 'POST' && path === '/v1/sessions' ? { title: 'x', videoUrl: 'https://x.example/v' } : undefined)
      t.equal(res.status, 401, `${method} ${path} with ${token === null ? 'no token' : 'a bad token'}`)
    }
  }
})

t.test('create validates its body', async (t) => {
  const { baseUrl } = await startSessionApp(t, world)
  const cases: Array<[unknown, number, string]> = [
    [{ title: 'x' }, 400, 'validation_failed'],
    [{ title: 'x', videoUrl: 'javascript:alert(1)' }, 400, 'invalid_video_url'],
    [{ title: '   ', videoUrl: 'https://x.example/v' }, 400, 'invalid_title'],
    [{ title: 'x', videoUrl: 'https://x.example/v', controlMode: 'anarchy' }, 400, 'validation_failed'],
    [{ title: 'x', videoUrl: 'https://x.example/v', extra: 1 }, 400, 'validation_failed'],
  ]
  for (const [body, status, code] of cases) {
    const res = await api<{ error: { code: string } }>(baseUrl, 'POST', '/v1/sessions', hostToken, body)
    t.same([res.status, res.body.error.code], [status, code], JSON.stringify(body))
  }
  const everyone = await api<{ controlMode: string }>(baseUrl, 'POST', '/v1/sessions', hostToken, {
    title: 'x',
    videoUrl: 'https://x.example/v',
    controlMode: 'everyone',
  })
  t.equal(everyone.body.controlMode, 'everyone')
})

t.test('the lobby lists open sessions and is rebuilt from the store after a restart', async (t) => {
  const first = await startSessionApp(t, world)
  const a = await createSession(first.baseUrl, hostToken, { title: 'Lobby A', visibility: 'public' })
  const b = await createSession(first.baseUrl, hostToken, { title: 'Lobby B', visibility: 'public' })
  const c = await createSession(first.baseUrl, hostToken, { title: 'Lobby C', visibility: 'public' })
  await api(first.baseUrl, 'POST', `/v1/sessions/${a.id}/join`, aliceToken)
  await api(first.baseUrl, 'POST', `/v1/sessions/${c.id}/end`, hostToken)

  const lobbyOf = async (baseUrl: string) => (await api<LobbyResponse>(baseUrl, 'GET', '/v1/sessions', aliceToken)).body.sessions
  const expectListing = (sessions: LobbyResponse['sessions']) => {
    const mine = sessions.filter((s) => [a.id, b.id, c.id].includes(s.id))
    return mine.length === 2 && mine.find((s) => s.id === a.id)?.members === 2 ? mine : null
  }
  const listed = await waitFor(async () => expectListing(await lobbyOf(first.baseUrl)), 5000, 'lobby')
  t.same(listed.map((s) => [s.title, s.hostId, s.members]), [['Lobby B', HOST, 1], ['Lobby A', HOST, 2]], 'newest first, ended ones gone')

  await first.close()
  const second = await startSessionApp(t, world)
  const rebuilt = await waitFor(async () => expectListing(await lobbyOf(second.baseUrl)), 5000, 'rebuilt lobby')
  t.same(rebuilt, listed, 'same listing after a restart')
})
