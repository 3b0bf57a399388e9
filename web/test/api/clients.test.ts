import t from 'tap'
import { authClient } from '../../src/lib/api/auth.ts'
import { profileClient } from '../../src/lib/api/profile.ts'
import { sessionClient } from '../../src/lib/api/session.ts'
import { fakeService, type RecordedRequest } from '../fixtures/fake-service.ts'

const signedIn = { user: { id: 'u1', email: 'a@b.c', displayName: 'A' }, accessToken: 'at', refreshToken: 'rt', expiresIn: 900 }

t.test('auth client: auth-service’s endpoints and shapes', async (t) => {
  const service = await fakeService((r) => {
    if (r.url === '/v1/logout') return { status: 204 }
    if (r.url === '/v1/me') return { status: 200, body: signedIn.user }
    if (r.url === '/v1/refresh') return { status: 200, body: { accessToken: 'at2', refreshToken: 'rt2', expiresIn: 900 } }
    return { status: r.url === '/v1/register' ? 201 : 200, body: signedIn }
  })
  t.teardown(service.close)
  const auth = authClient({ baseUrl: service.baseUrl })
  t.same(await auth.register({ email: 'a@b.c', password: 'pw123456', displayName: 'A' }, { address: '198.51.100.7' }), signedIn)
  t.same(await auth.login({ email: 'a@b.c', password: 'pw123456' }, { address: '2001:db8::7' }), signedIn)
  t.same(await auth.refresh('rt'), { accessToken: 'at2', refreshToken: 'rt2', expiresIn: 900 })
  await auth.logout('rt2')
  t.same(await auth.me('at2'), signedIn.user)
  const calls = service.requests.map((r: RecordedRequest) => [
    r.method,
    r.url,
    r.body ?? null,
    r.headers.authorization ?? null,
    r.headers['x-forwarded-for'] ?? null,
  ])
  t.same(calls, [
    ['POST', '/v1/register', { email: 'a@b.c', password: 'pw123456', displayName: 'A' }, null, '198.51.100.7'],
    ['POST', '/v1/login', { email: 'a@b.c', password: 'pw123456' }, null, '2001:db8::7'],
    ['POST', '/v1/refresh', { refreshToken: 'rt' }, null, null],
    ['POST', '/v1/logout', { refreshToken: 'rt2' }, null, null],
    ['GET', '/v1/me', null, 'Bearer at2', null],
  ], 'the browser address goes to login and register only')
})

t.test('profile client: read, batch read, conditional edit', async (t) => {
  const profile = { userId: 'u1', displayName: 'A', bio: '', avatarColor: '#112233', preferences: { autoSync: true, chatTimestamps: true }, version: 3, updatedAt: '' }
  const service = await fakeService((r) => (r.url.startsWith('/v1/profiles?') ? { status: 200, body: { profiles: [profile] } } : { status: 200, body: profile }))
  t.teardown(service.close)
  const profiles = profileClient({ baseUrl: service.baseUrl })
  await profiles.get('u/1', 'at')
  await profiles.mine('at')
  await profiles.updateMine('at', { bio: 'hi' }, 3)
  await profiles.updateMine('at', { bio: 'hi' })
  t.same(await profiles.many(['u1', 'u2'], 'at'), [profile])
  t.same(await profiles.many([], 'at'), [], 'no call for no ids')
  const calls = service.requests.map((r) => [r.method, r.url, r.headers['if-match'] ?? null])
  t.same(calls, [
    ['GET', '/v1/profiles/u%2F1', null],
    ['GET', '/v1/profiles/me', null],
    ['PATCH', '/v1/profiles/me', '"3"'],
    ['PATCH', '/v1/profiles/me', null],
    ['GET', '/v1/profiles?ids=u1%2Cu2', null],
  ])
})

t.test('session client: create, lobby, state, join/leave/end', async (t) => {
  const entry = { id: 's1', title: 'T', hostId: 'u1', visibility: 'public', videoUrl: 'http://v', nowPlaying: { kind: 'url', title: '', url: 'http://v', fileName: null }, watching: 1, members: 2, createdAt: 1 }
  const service = await fakeService((r) => {
    if (r.method === 'GET' && r.url.startsWith('/v1/sessions?')) return { status: 200, body: { sessions: [entry], nextCursor: 'c2' } }
    if (r.method === 'GET' && r.url === '/v1/sessions') return { status: 200, body: { sessions: [entry], nextCursor: null } }
    if (r.url.endsWith('/join') || r.url.endsWith('/leave') || r.url.endsWith('/end')) return { status: 200, body: { revision: 7 } }
    if (r.method === 'POST') return { status: 201, body: { id: 's1', title: 'T', videoUrl: 'http://v', hostId: 'u1', controlMode: 'everyone', revision: 0 } }
    return { status: 200, body: { id: 's1', revision: 3 } }
  })
  t.teardown(service.close)
  const sessions = sessionClient({ baseUrl: service.baseUrl })
  t.equal((await sessions.create({ title: 'T', videoUrl: 'http://v', visibility: 'public' }, 'at')).id, 's1')
  t.same(await sessions.list({}, 'at'), { sessions: [entry], nextCursor: null })
  t.equal((await sessions.list({ q: 'film night', limit: 5, cursor: 'c/1+' }, 'at')).nextCursor, 'c2')
  t.equal((await sessions.get('s1', 'at')).revision, 3)
  t.equal(await sessions.join('s1', 'at'), 7)
  t.equal(await sessions.join('s1', 'at', 'tok_en-1'), 7)
  t.equal(await sessions.leave('s1', 'at'), 7)
  t.equal(await sessions.end('s1', 'at'), 7)
  t.same(
    service.requests.map((r) => [`${r.method} ${r.url}`, r.body ?? null]),
    [
      ['POST /v1/sessions', { title: 'T', videoUrl: 'http://v', visibility: 'public' }],
      ['GET /v1/sessions', null],
      ['GET /v1/sessions?q=film+night&limit=5&cursor=c%2F1%2B', null],
      ['GET /v1/sessions/s1', null],
      ['POST /v1/sessions/s1/join', {}],
      ['POST /v1/sessions/s1/join', { invite: 'tok_en-1' }],
      ['POST /v1/sessions/s1/leave', null],
      ['POST /v1/sessions/s1/end', null],
    ],
    'the visibility and the invite travel in the bodies, the lobby query in the URL',
  )
  t.ok(service.requests.every((r) => r.headers.authorization === 'Bearer at'))
})

t.test('session client: your sessions, settings, the invite link and its reset', async (t) => {
  const mine = { id: 's/2', title: 'Mine', hostId: 'u1', visibility: 'private', videoUrl: 'http://v', nowPlaying: { kind: 'url', title: '', url: 'http://v', fileName: null }, watching: 0, members: 1, createdAt: 2, mayInvite: true }
  const invite = { token: 'abc', path: '/sessions/s%2F2?invite=abc', expiresAt: null }
  const service = await fakeService((r) => {
    if (r.url === '/v1/sessions/mine') return { status: 200, body: { sessions: [mine] } }
    if (r.url.endsWith('/invite')) return { status: 200, body: r.method === 'POST' ? { ...invite, token: 'def' } : invite }
    if (r.method === 'PATCH') return { status: 200, body: { revision: 4 } }
    return { status: 404, body: { error: { code: 'session_not_found', message: 'no such session' } } }
  })
  t.teardown(service.close)
  const sessions = sessionClient({ baseUrl: service.baseUrl })
  t.same(await sessions.mine('at'), [mine])
  t.equal(await sessions.update('s/2', { visibility: 'public', membersMayInvite: true }, 'at'), 4)
  t.same(await sessions.invite('s/2', 'at'), invite)
  t.equal((await sessions.resetInvite('s/2', {}, 'at')).token, 'def')
  await t.rejects(sessions.get('s/2', 'at'), { name: 'ApiError', status: 404, code: 'session_not_found' })
  t.same(
    service.requests.map((r) => [`${r.method} ${r.url}`, r.body ?? null]),
    [
      ['GET /v1/sessions/mine', null],
      ['PATCH /v1/sessions/s%2F2', { visibility: 'public', membersMayInvite: true }],
      ['GET /v1/sessions/s%2F2/invite', null],
      ['POST /v1/sessions/s%2F2/invite', {}],
      ['GET /v1/sessions/s%2F2', null],
    ],
  )
})
