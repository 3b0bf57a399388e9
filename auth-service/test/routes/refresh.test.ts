import t from 'tap'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'

const refresh = (app: Parameters<typeof post>[0], refreshToken: string) => post(app, '/v1/refresh', { refreshToken })

t.test('refresh and logout', async (t) => {
  const { app } = await startAuthApp(t)

  t.test('each refresh rotates the token and issues a new access token', async (t) => {
    const ann = await register(app)
    const first = await refresh(app, ann.refreshToken)
    t.equal(first.statusCode, 200)
    const body = first.json()
    t.same(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'refreshToken'])
    t.not(body.refreshToken, ann.refreshToken)
    t.not(body.accessToken, ann.accessToken)
    const second = await refresh(app, body.refreshToken)
    t.equal(second.statusCode, 200, 'the rotated token works once')
    const { rows } = await app.auth.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT family_id)::int AS families FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE f.user_id = $1',
      [ann.user.id],
    )
    t.same(rows[0], { n: 3, families: 1 }, 'three tokens, one family')
  })

  t.test('reusing a rotated token revokes the whole family', async (t) => {
    const ann = await register(app)
    const other = (await post(app, '/v1/login', { email: ann.user.email, password: ann.password })).json()
    const next = (await refresh(app, ann.refreshToken)).json()

    const reuse = await refresh(app, ann.refreshToken)
    t.equal(reuse.statusCode, 401)
    t.same(reuse.json(), { error: { code: 'refresh_token_reused', message: 'refresh token was already used; sign in again' } })

    const afterwards = await refresh(app, next.refreshToken)
    t.equal(afterwards.statusCode, 401, 'the newest token of the family is dead too')
    t.equal(afterwards.json().error.code, 'refresh_token_revoked')

    const { rows } = await app.auth.pool.query('SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1 ORDER BY created_at', [ann.user.id])
    t.same(rows.map((r: { revoked_reason: string | null }) => r.revoked_reason), ['reuse', null])
    t.equal((await refresh(app, other.refreshToken)).statusCode, 200, 'another sign-in of the same user is unaffected')
  })

  t.test('two concurrent refreshes with one token: one wins, the other counts as reuse', async (t) => {
    // Repeated because the losing transaction may have begun before the winner's: about one
    // pair in six raced that way when "recently used" was measured from the transaction start.
    for (let pair = 0; pair < 20; pair++) {
      const ann = await register(app)
      const results = await Promise.all([refresh(app, ann.refreshToken), refresh(app, ann.refreshToken)])
      const statuses = results.map((r) => r.statusCode).sort()
      t.same(statuses, [200, 401], `pair ${pair}`)
      const loser = results.find((r) => r.statusCode === 401)
      t.equal(loser?.json().error.code, 'refresh_token_reused')
      const winner = results.find((r) => r.statusCode === 200)
      t.equal(winner && (await refresh(app, winner.json().refreshToken)).statusCode, 401, 'the family is revoked')
    }
  })

  t.test('logout ends the sign-in: its refresh tokens fail afterwards', async (t) => {
    const ann = await register(app)
    const next = (await refresh(app, ann.refreshToken)).json()
    const out = await post(app, '/v1/logout', { refreshToken: next.refreshToken })
    t.equal(out.statusCode, 204)
    t.equal(out.body, '')
    const after = await refresh(app, next.refreshToken)
    t.equal(after.statusCode, 401)
    t.same(after.json(), { error: { code: 'refresh_token_revoked', message: 'this sign-in has ended; sign in again' } })
    t.equal((await post(app, '/v1/logout', { refreshToken: next.refreshToken })).statusCode, 204, 'logging out twice is fine')
  })

  t.test('unknown, expired and malformed refresh tokens are refused', async (t) => {
    const unknown = await refresh(app, 'A'.repeat(43))
    t.equal(unknown.statusCode, 401)
    t.same(unknown.json(), { error: { code: 'invalid_refresh_token', message: 'refresh token is not valid' } })

    const ann = await register(app, newUser())
    await app.auth.pool.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second'
        WHERE family_id IN (SELECT id FROM refresh_token_families WHERE user_id = $1)`,
      [ann.user.id],
    )
    const expired = await refresh(app, ann.refreshToken)
    t.equal(expired.statusCode, 401)
    t.equal(expired.json().error.code, 'refresh_token_expired')

    const empty = await post(app, '/v1/refresh', { refreshToken: '' })
    t.equal(empty.statusCode, 400)
    t.equal(empty.json().error.code, 'validation_failed')
    const extra = await post(app, '/v1/logout', { refreshToken: 'x', everywhere: true })
    t.equal(extra.statusCode, 400)
    t.match(extra.json().error.message, /unknown field everywhere/)
    t.equal((await post(app, '/v1/logout', { refreshToken: 'never-issued' })).statusCode, 204, 'logout does not reveal whether a token existed')
  })
})
