import t from 'tap'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'

t.test('login', async (t) => {
  const { app } = await startAuthApp(t)
  const ann = await register(app, newUser({ email: 'Ann@Example.com' }))

  t.test('signs in with the e-mail address in any case and surrounding space', async (t) => {
    const res = await post(app, '/v1/login', { email: '  ann@EXAMPLE.com ', password: ann.password })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.same(body.user, ann.user)
    t.equal(body.expiresIn, 900)
    t.not(body.refreshToken, ann.refreshToken, 'a new sign-in gets its own refresh token')
    const families = await app.auth.pool.query('SELECT count(*)::int AS n FROM refresh_token_families WHERE user_id = $1', [ann.user.id])
    t.equal(families.rows[0].n, 2, 'registering and signing in are two separate sign-ins')
  })

  t.test('wrong password and unknown user get the same 401', async (t) => {
    const wrong = await post(app, '/v1/login', { email: ann.user.email, password: 'not the password' })
    const unknown = await post(app, '/v1/login', { email: 'nobody@example.com', password: 'not the password' })
    t.equal(wrong.statusCode, 401)
    t.equal(unknown.statusCode, 401)
    t.same(wrong.json(), { error: { code: 'invalid_credentials', message: 'e-mail address or password is wrong' } })
    t.equal(unknown.body, wrong.body, 'byte-for-byte the same body')
    const headerNames = (h: Record<string, unknown>) => Object.keys(h).filter((k) => k !== 'date').sort()
    t.same(headerNames(unknown.headers), headerNames(wrong.headers), 'the same headers')
  })

  t.test('unknown fields and missing fields are rejected', async (t) => {
    const extra = await post(app, '/v1/login', { email: ann.user.email, password: ann.password, remember: true })
    t.equal(extra.statusCode, 400)
    t.equal(extra.json().error.code, 'validation_failed')
    const missing = await post(app, '/v1/login', { email: ann.user.email })
    t.equal(missing.statusCode, 400)
    t.match(missing.json().error.message, /password is required/)
  })
})

t.test('a hash made with weaker parameters is upgraded at the next sign-in', async (t) => {
  const database = await createTestDatabase('tandem_auth_test')
  t.teardown(() => database.drop())
  const weak = await startAuthApp(t, { database, env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } })
  const bob = await register(weak.app)
  await weak.app.close()

  const stronger = await startAuthApp(t, { database, env: { ARGON2_MEMORY_KIB: '2048', ARGON2_TIME_COST: '2' } })
  const hashOf = async () =>
    (await stronger.app.auth.pool.query('SELECT password_hash FROM users WHERE id = $1', [bob.user.id])).rows[0].password_hash as string
  t.match(await hashOf(), /\$m=1024,t=1,p=1\$/)
  const res = await post(stronger.app, '/v1/login', { email: bob.user.email, password: bob.password })
  t.equal(res.statusCode, 200)
  t.match(await hashOf(), /\$m=2048,t=2,p=1\$/, 'rehashed with the current parameters')
  t.equal((await post(stronger.app, '/v1/login', { email: bob.user.email, password: bob.password })).statusCode, 200, 'and it still verifies')
})
