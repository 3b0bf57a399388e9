import t from 'tap'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'


t.test('register', async (t) => {
  const { app } = await startAuthApp(t)

  t.test('creates the user, signs in, and records user.registered in the same transaction', async (t) => {
    const res = await post(app, '/v1/register', { email: '  Ann.Lee@Example.COM ', password: 'correct horse battery', displayName: '  Ann Lee ' })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.same(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user'])
    t.match(body.user, { id: /^[0-9a-f-]{36}$/, email: 'Ann.Lee@Example.COM', displayName: 'Ann Lee' })
    t.same(Object.keys(body.user).sort(), ['displayName', 'email', 'id'], 'no password hash or other columns leak')
    t.equal(body.expiresIn, 900)
    t.match(body.refreshToken, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url')
    t.equal(body.accessToken.split('.').length, 3)

    const { rows } = await app.auth.pool.query('SELECT event_type, payload FROM outbox WHERE payload->>\'userId\' = $1', [body.user.id])
    t.equal(rows.length, 1)
    t.match(rows[0].payload, { type: 'user.registered', userId: body.user.id, email: 'Ann.Lee@Example.COM', displayName: 'Ann Lee', eventId: /^[0-9a-f-]{36}$/ })

    const stored = await app.auth.pool.query('SELECT password_hash FROM users WHERE id = $1', [body.user.id])
    t.match(stored.rows[0].password_hash, /^\$argon2id\$/, 'the password is stored only as an argon2id hash')
    const tokens = await app.auth.pool.query('SELECT token_hash FROM refresh_tokens')
    t.notOk(
      tokens.rows.some((r: { token_hash: Buffer }) => r.token_hash.toString('base64url') === body.refreshToken),
      'the refresh token is not stored as it is',
    )
  })

  t.test('an e-mail address already taken, in any letter case, is 409 email_taken', async (t) => {
    const first = await register(app)
    const res = await post(app, '/v1/register', newUser({ email: ` ${first.user.email.toUpperCase()}` }))
    t.equal(res.statusCode, 409)
    t.same(res.json(), { error: { code: 'email_taken', message: 'an account with this e-mail address already exists' } })
    const { rows } = await app.auth.pool.query('SELECT count(*)::int AS n FROM outbox WHERE payload->>\'email\' ILIKE $1', [first.user.email])
    t.equal(rows[0].n, 1, 'the failed registration left no event behind')
  })

  t.test('bodies are validated: unknown fields, lengths, formats, control characters', async (t) => {
    const cases: Array<[string, object, RegExp]> = [
      ['unknown field', { ...newUser(), admin: true }, /unknown field admin/],
      ['missing password', { email: 'a@example.com', displayName: 'A' }, /password is required/],
      ['password of 7 characters', newUser({ password: '1234567' }), /password/],
      ['password of 129 characters', newUser({ password: 'x'.repeat(129) }), /password/],
      ['not an e-mail address', newUser({ email: 'not-an-email' }), /email/],
      ['blank display name', newUser({ displayName: '   ' }), /displayName/],
      ['display name of 41 characters', newUser({ displayName: 'x'.repeat(41) }), /displayName/],
      ['control character in display name', newUser({ displayName: 'Ann\u0007Lee' }), /displayName/],
      ['newline in display name', newUser({ displayName: 'Ann\nLee' }), /displayName/],
      ['display name an object', newUser({ displayName: {} as unknown as string }), /displayName/],
    ]
    for (const [name, body, message] of cases) {
      const res = await post(app, '/v1/register', body)
      t.equal(res.statusCode, 400, name)
      t.equal(res.json().error.code, 'validation_failed', name)
      t.match(res.json().error.message, message, name)
    }
    const { rows } = await app.auth.pool.query('SELECT count(*)::int AS n FROM users WHERE display_name LIKE \'Ann%Lee\' AND display_name <> \'Ann Lee\'')
    t.equal(rows[0].n, 0, 'nothing invalid was stored')
  })

  t.test('limits are inclusive; emoji and accents are fine', async (t) => {
    t.equal((await post(app, '/v1/register', newUser({ password: '12345678' }))).statusCode, 201)
    t.equal((await post(app, '/v1/register', newUser({ password: 'p'.repeat(128) }))).statusCode, 201)
    const fancy = await register(app, newUser({ displayName: 'Zoë 🍿 the 👩‍👩‍👧 fan' }))
    t.equal(fancy.user.displayName, 'Zoë 🍿 the 👩‍👩‍👧 fan')
    t.equal((await post(app, '/v1/register', newUser({ displayName: '🍿'.repeat(40) }))).statusCode, 201, '40 characters, not 40 UTF-16 units')
  })

  t.test('malformed JSON is 400 invalid_json, an oversized body 413, both with the error shape', async (t) => {
    let res = await app.inject({ method: 'POST', url: '/v1/register', headers: { 'content-type': 'application/json' }, payload: '{"email": "a@example.com",' })
    t.equal(res.statusCode, 400)
    t.same(res.json(), { error: { code: 'invalid_json', message: 'request body is not valid JSON' } })

    res = await post(app, '/v1/register', { ...newUser(), displayName: 'x'.repeat(100 * 1024) })
    t.equal(res.statusCode, 413)
    t.same(res.json(), { error: { code: 'body_too_large', message: 'request body is too large' } })

    res = await app.inject({ method: 'POST', url: '/v1/register', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
    t.equal(res.statusCode, 400, 'a text body is not an object')
    t.equal(res.json().error.code, 'validation_failed')

    res = await app.inject({ method: 'POST', url: '/v1/register', headers: { 'content-type': 'application/json' }, payload: '[]' })
    t.equal(res.statusCode, 400)
    t.equal(res.json().error.code, 'validation_failed')
  })
})
