import t from 'tap'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'

t.test('login and register are rate-limited per client address and per account', async (t) => {
  const { app, database } = await startAuthApp(t, { env: { RATE_LIMIT_PER_IP: '4', RATE_LIMIT_PER_ACCOUNT: '2', RATE_LIMIT_WINDOW_SECONDS: '600' } })
  // registered from an address of its own, so it does not count against the ones below
  const ann = await register(app, newUser({ email: 'ann@example.com' }))
  await app.auth.pool.query('DELETE FROM rate_limit_counters')

  t.test('per account and address: the third attempt at one e-mail address from one address is 429, whatever the case', async (t) => {
    const attempt = (ip: string, email: string) => post(app, '/v1/login', { email, password: 'guessing-1234' }, ip)
    t.equal((await attempt('198.51.100.1', 'ann@example.com')).statusCode, 401)
    t.equal((await attempt('198.51.100.1', ' ANN@example.com')).statusCode, 401)
    const limited = await attempt('198.51.100.1', 'Ann@Example.com')
    t.equal(limited.statusCode, 429)
    t.match(limited.json(), { error: { code: 'rate_limited', message: /too many attempts; try again in \d+ s/ } })
    t.ok(Number(limited.headers['retry-after']) > 500, 'Retry-After says when the window ends')
    const right = await post(app, '/v1/login', { email: 'ann@example.com', password: ann.password }, '198.51.100.4')
    t.equal(right.statusCode, 200, 'a flood from one address does not lock the owner out elsewhere')
    t.equal((await attempt('198.51.100.1', 'bob@example.com')).statusCode, 401, 'other accounts are unaffected')
  })

  t.test('per client address: the fifth attempt from one address is 429, across accounts', async (t) => {
    const ip = '203.0.113.9'
    for (let i = 0; i < 4; i++) {
      t.equal((await post(app, '/v1/login', { email: `someone${i}@example.com`, password: 'guessing-1234' }, ip)).statusCode, 401)
    }
    const limited = await post(app, '/v1/login', { email: 'someone-else@example.com', password: 'guessing-1234' }, ip)
    t.equal(limited.statusCode, 429)
    t.equal(limited.json().error.code, 'rate_limited')
    const malformed = await app.inject({ method: 'POST', url: '/v1/login', payload: 'not json', headers: { 'content-type': 'application/json' }, remoteAddress: ip })
    t.equal(malformed.statusCode, 429, 'the address limit applies before the body is even read')
    t.equal((await post(app, '/v1/login', { email: 'x@example.com', password: 'guessing-1234' }, '203.0.113.10')).statusCode, 401, 'another address is fine')
  })

  t.test('IPv6 clients are counted per /64', async (t) => {
    for (let i = 1; i <= 4; i++) {
      t.equal((await post(app, '/v1/login', { email: `v6-${i}@example.com`, password: 'guessing-1234' }, `2001:db8:aa:bb::${i}`)).statusCode, 401)
    }
    const limited = await post(app, '/v1/login', { email: 'v6-5@example.com', password: 'guessing-1234' }, '2001:db8:aa:bb:ffff::5')
    t.equal(limited.statusCode, 429, 'another address in the same /64 is the same client')
  })

  t.test('register has its own limits', async (t) => {
    const ip = '192.0.2.50'
    await app.auth.pool.query('DELETE FROM rate_limit_counters')
    t.equal((await post(app, '/v1/register', newUser({ email: 'carol@example.com' }), ip)).statusCode, 201)
    t.equal((await post(app, '/v1/register', newUser({ email: 'carol@example.com' }), ip)).statusCode, 409)
    const limited = await post(app, '/v1/register', newUser({ email: 'CAROL@example.com' }), ip)
    t.equal(limited.statusCode, 429)
    t.equal(limited.json().error.code, 'rate_limited')
  })

  t.test('counters are shared through PostgreSQL: a second replica sees the same limits', async (t) => {
    const replica = await startAuthApp(t, {
      database,
      env: { RATE_LIMIT_PER_IP: '4', RATE_LIMIT_PER_ACCOUNT: '2', RATE_LIMIT_WINDOW_SECONDS: '600' },
    })
    const res = await post(replica.app, '/v1/register', newUser({ email: 'carol@example.com' }), '192.0.2.50')
    t.equal(res.statusCode, 429, 'the count of the first replica holds here')
  })
})

t.test('X-Forwarded-For names the client only when a trusted proxy (the web server) sends it', async (t) => {
  const { app } = await startAuthApp(t, { env: { RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW_SECONDS: '600', TRUSTED_PROXIES: '10.0.0.5,192.0.2.0/28' } })
  const attempt = (remoteAddress: string, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/login',
      payload: { email: 'nobody@example.com', password: 'guessing-1234' },
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    })

  t.test('behind the web server, each browser has its own count', async (t) => {
    for (let i = 0; i < 2; i++) t.equal((await attempt('10.0.0.5', '198.51.100.20')).statusCode, 401)
    t.equal((await attempt('10.0.0.5', '198.51.100.20')).statusCode, 429, 'the third attempt of one browser')
    t.equal((await attempt('192.0.2.9', '198.51.100.21')).statusCode, 401, 'another browser, through a proxy in the trusted block')
  })

  t.test('from an untrusted peer, X-Forwarded-For is ignored: it is counted by its own address', async (t) => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await attempt('203.0.113.40', `198.51.100.${100 + i}`)).statusCode)
    t.same(statuses, [401, 401, 429], 'a different made-up address each time does not reset the count')
  })
})
