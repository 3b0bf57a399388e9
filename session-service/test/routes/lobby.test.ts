import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { LobbyResponse, MySessionsResponse } from '@tandem/contracts'
import { SessionSocket as TestSocket, waitFor } from '@tandem/service-kit/testing'
import { api, createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const { baseUrl, wsUrl } = await startSessionApp(t, world)
const HOST = randomUUID()
const ALICE = randomUUID()
const hostToken = world.issuer.sign(HOST)
const aliceToken = world.issuer.sign(ALICE)

type ErrorBody = { error: { code: string; message: string } }
const lobby = (query: string, token = aliceToken) => api<LobbyResponse & ErrorBody>(baseUrl, 'GET', `/v1/sessions${query}`, token)
/** A word no other test's titles contain, so that a search lists one test's sessions only. */
const tag = () => `t${randomUUID().slice(0, 8)}`

t.test('the lobby lists open public sessions only; an ended one leaves at once', async (t) => {
  const word = tag()
  const pub = await createSession(baseUrl, hostToken, { title: `${word} public`, visibility: 'public' })
  const gone = await createSession(baseUrl, hostToken, { title: `${word} ended`, visibility: 'public' })
  await createSession(baseUrl, hostToken, { title: `${word} private`, visibility: 'private' })
  // straight over REST: createSession would make it public
  const byDefault = { title: `${word} private by default`, videoUrl: 'https://videos.example/big-buck-bunny.mp4' }
  t.equal((await api(baseUrl, 'POST', '/v1/sessions', hostToken, byDefault)).status, 201)
  t.same((await api(baseUrl, 'POST', `/v1/sessions/${gone.id}/end`, hostToken)).status, 200)
  await api(baseUrl, 'POST', `/v1/sessions/${pub.id}/join`, aliceToken)

  const res = await lobby(`?q=${word}`)
  t.equal(res.status, 200)
  t.same(res.body, {
    sessions: [
      { id: pub.id, title: `${word} public`, hostId: HOST, visibility: 'public', videoUrl: 'https://videos.example/big-buck-bunny.mp4', nowPlaying: { kind: 'url', title: '', url: 'https://videos.example/big-buck-bunny.mp4', fileName: null }, watching: 0, members: 2, createdAt: res.body.sessions[0]?.createdAt },
    ],
    nextCursor: null,
  })
  t.type(res.body.sessions[0]?.createdAt, 'number')
})

t.test('pages follow nextCursor to the end, newest first when nobody watches', async (t) => {
  const word = tag()
  const created: string[] = []
  for (let i = 0; i < 5; i++) created.push((await createSession(baseUrl, hostToken, { title: `${word} ${i}`, visibility: 'public' })).id)
  const seen: string[] = []
  let query = `?q=${word}&limit=2`
  let pages = 0
  for (;;) {
    const res = await lobby(query)
    t.equal(res.status, 200)
    pages++
    seen.push(...res.body.sessions.map((s) => s.id))
    if (res.body.nextCursor === null) break
    t.match(res.body.nextCursor, /^[A-Za-z0-9_-]+$/, 'an opaque URL-safe cursor')
    query = `?q=${word}&limit=2&cursor=${res.body.nextCursor}`
  }
  t.equal(pages, 3)
  // Sessions started in the same millisecond are ordered by id.
  const createdAt = new Map((await lobby(`?q=${word}&limit=50`)).body.sessions.map((s) => [s.id, s.createdAt]))
  const newestFirst = [...created].sort((a, b) => createdAt.get(b)! - createdAt.get(a)! || (a < b ? -1 : 1))
  t.same(seen, newestFirst, 'every session once, newest first')
})

t.test('search: every word of q, any case, trimmed', async (t) => {
  const word = tag()
  const night = await createSession(baseUrl, hostToken, { title: `Movie NIGHT ${word}`, visibility: 'public' })
  await createSession(baseUrl, hostToken, { title: `Movie matinee ${word}`, visibility: 'public' })
  const res = await lobby(`?q=${encodeURIComponent(`  night ${word.toUpperCase()}  `)}`)
  t.same(res.body.sessions.map((s) => s.id), [night.id])
})

t.test('bad queries are 400s with a stable code', async (t) => {
  const cases: Array<[string, string]> = [
    ['?cursor=not-a-cursor', 'invalid_cursor'],
    [`?cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'invalid_cursor'],
    ['?cursor=%2B%2F%3D', 'invalid_cursor'],
    ['?limit=51', 'validation_failed'],
    ['?limit=0', 'validation_failed'],
    ['?limit=ten', 'validation_failed'],
    [`?q=${'x'.repeat(101)}`, 'validation_failed'],
    ['?sort=title', 'validation_failed'],
  ]
  for (const [query, code] of cases) {
    const res = await lobby(query)
    t.same([res.status, res.body.error?.code], [400, code], query)
  }
})

t.test('the default page is 20 sessions, and limit=50 is allowed', async (t) => {
  const word = tag()
  for (let i = 0; i < 21; i++) await createSession(baseUrl, hostToken, { title: `${word} ${i}`, visibility: 'public' })
  const first = await lobby(`?q=${word}`)
  t.equal(first.body.sessions.length, 20)
  t.type(first.body.nextCursor, 'string')
  t.equal((await lobby(`?q=${word}&limit=50`)).body.sessions.length, 21)
})

t.test('GET /v1/sessions/mine: open sessions I am a member of, private included, newest first, with mayInvite', async (t) => {
  const me = randomUUID()
  const myToken = world.issuer.sign(me)
  const privateOne = await createSession(baseUrl, myToken, { title: 'my private', visibility: 'private' })
  const publicOne = await createSession(baseUrl, myToken, { title: 'my public', visibility: 'public' })
  const ended = await createSession(baseUrl, myToken, { title: 'my ended', visibility: 'public' })
  await api(baseUrl, 'POST', `/v1/sessions/${ended.id}/end`, myToken)
  const theirs = await createSession(baseUrl, hostToken, { title: 'theirs', visibility: 'public' })
  await api(baseUrl, 'POST', `/v1/sessions/${theirs.id}/join`, myToken)
  await createSession(baseUrl, hostToken, { title: 'not mine', visibility: 'public' })

  const mine = await api<MySessionsResponse>(baseUrl, 'GET', '/v1/sessions/mine', myToken)
  t.equal(mine.status, 200, 'the static route, not /v1/sessions/:id with id "mine"')
  t.same(
    mine.body.sessions.map((s) => [s.title, s.visibility, s.hostId === me, s.mayInvite, s.members]),
    [
      ['theirs', 'public', false, false, 2],
      ['my public', 'public', true, true, 1],
      ['my private', 'private', true, true, 1],
    ],
    'newest first; the host may share the invite, a plain member may not',
  )
  t.ok(mine.body.sessions.every((s) => s.watching === 0 && typeof s.createdAt === 'number'))
  t.same(mine.body.sessions.map((s) => s.id), [theirs.id, publicOne.id, privateOne.id])

  const nobody = await api<MySessionsResponse>(baseUrl, 'GET', '/v1/sessions/mine', world.issuer.sign(randomUUID()))
  t.same(nobody.body, { sessions: [] })
  t.equal((await api(baseUrl, 'GET', '/v1/sessions/mine', null)).status, 401, 'needs a token like every route')
})

t.test('the lobby and my sessions say what plays now: its title, or for a local file its name', async (t) => {
  const word = tag()
  const { id } = await createSession(baseUrl, hostToken, { title: `${word} evening`, visibility: 'public' })
  const { socket } = await TestSocket.join(wsUrl(id), hostToken)
  t.teardown(() => socket.close())
  const listed = async () => (await lobby(`?q=${word}`)).body.sessions[0]?.nowPlaying
  const mine = async () => (await api<MySessionsResponse>(baseUrl, 'GET', '/v1/sessions/mine', hostToken)).body.sessions.find((s) => s.id === id)?.nowPlaying

  await socket.command({ type: 'queueAdd', items: [{ url: 'https://videos.example/ep1.mp4', title: 'Episode 1' }, { kind: 'local', file: { name: 'home movie.mkv', size: 10, duration: 60 } }] })
  t.same(await listed(), { kind: 'url', title: '', url: 'https://videos.example/big-buck-bunny.mp4', fileName: null }, 'queueing changes nothing listed')
  await socket.command({ type: 'playItem', itemId: 'r1' })
  const episode = { kind: 'url', title: 'Episode 1', url: 'https://videos.example/ep1.mp4', fileName: null }
  t.same(await waitFor(async () => (await listed())?.title === 'Episode 1' && listed(), 5000, 'the lobby to list the episode'), episode)
  t.same(await mine(), episode)
  await socket.command({ type: 'playItem', itemId: 'r2' })
  const local = { kind: 'local', title: '', url: '', fileName: 'home movie.mkv' }
  t.same(await waitFor(async () => (await listed())?.kind === 'local' && listed(), 5000, 'the lobby to list the local file'), local)
  t.equal((await lobby(`?q=${word}`)).body.sessions[0]?.videoUrl, '', 'videoUrl alone says nothing for a local file')
  t.same(await mine(), local)
})
