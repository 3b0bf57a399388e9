import t from 'tap'
import { post, register, startAuthApp } from '../fixtures/auth-app.ts'

const refresh = (app: Parameters<typeof post>[0], refreshToken: string) => post(app, '/v1/refresh', { refreshToken })

t.test('a rotated token presented again within the reuse window', async (t) => {
  const { app, database, config } = await startAuthApp(t, { env: { REFRESH_REUSE_WINDOW_SECONDS: '30' } })
  const familyOf = async (userId: string) =>
    (await app.auth.pool.query('SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1', [userId])).rows[0]

  t.test('two refreshes of one token at once get the same successor and the sign-in lives on', async (t) => {
    const ann = await register(app)
    const [a, b] = await Promise.all([refresh(app, ann.refreshToken), refresh(app, ann.refreshToken)])
    t.same([a.statusCode, b.statusCode], [200, 200])
    t.equal(a.json().refreshToken, b.json().refreshToken, 'both callers set the same cookie')
    t.same(await familyOf(ann.user.id), { revoked_reason: null })
    t.equal((await refresh(app, a.json().refreshToken)).statusCode, 200, 'the successor rotates as usual')
  })

  t.test('a second replica sharing the key gives the same successor', async (t) => {
    const replica = await startAuthApp(t, { database, env: { REFRESH_REUSE_WINDOW_SECONDS: '30', AUTH_DATA_DIR: config.dataDir } })
    const ann = await register(app)
    const first = await refresh(app, ann.refreshToken)
    const second = await refresh(replica.app, ann.refreshToken)
    t.equal(second.statusCode, 200)
    t.equal(second.json().refreshToken, first.json().refreshToken)
  })

  t.test('a replay after the successor rotated too follows the chain to the live token', async (t) => {
    const ann = await register(app)
    const next = (await refresh(app, ann.refreshToken)).json().refreshToken
    const newest = (await refresh(app, next)).json().refreshToken
    const replay = await refresh(app, ann.refreshToken)
    t.equal(replay.statusCode, 200)
    t.equal(replay.json().refreshToken, newest)
  })

  t.test('outside the window a replay still revokes the whole sign-in', async (t) => {
    const ann = await register(app)
    const next = (await refresh(app, ann.refreshToken)).json().refreshToken
    await app.auth.pool.query(`UPDATE refresh_tokens SET used_at = now() - interval '31 seconds' WHERE used_at IS NOT NULL`)
    const replay = await refresh(app, ann.refreshToken)
    t.equal(replay.json().error.code, 'refresh_token_reused')
    t.equal((await refresh(app, next)).json().error.code, 'refresh_token_revoked')
    t.same(await familyOf(ann.user.id), { revoked_reason: 'reuse' })
  })

  t.test('after logout a replay within the window gives nothing', async (t) => {
    const ann = await register(app)
    const next = (await refresh(app, ann.refreshToken)).json().refreshToken
    t.equal((await post(app, '/v1/logout', { refreshToken: next })).statusCode, 204)
    t.equal((await refresh(app, ann.refreshToken)).statusCode, 401)
  })
})

t.test('a sign-in ends at its maximum age, however often it was refreshed', async (t) => {
  const { app } = await startAuthApp(t, { env: { SIGN_IN_MAX_AGE_DAYS: '2', REFRESH_TOKEN_TTL_DAYS: '30' } })
  const ann = await register(app)
  const { rows } = await app.auth.pool.query(
    `SELECT f.ends_at - f.created_at AS age, t.expires_at <= f.ends_at AS within
       FROM refresh_token_families f JOIN refresh_tokens t ON t.family_id = f.id WHERE f.user_id = $1`,
    [ann.user.id],
  )
  t.same(rows, [{ age: { days: 2 }, within: true }], 'the token expires with its sign-in, not after its own 30 days')
  const next = (await refresh(app, ann.refreshToken)).json().refreshToken
  const ends = (await app.auth.pool.query('SELECT DISTINCT ends_at FROM refresh_token_families WHERE user_id = $1', [ann.user.id])).rows
  t.equal(ends.length, 1, 'the successor keeps the family end')

  await app.auth.pool.query(`UPDATE refresh_token_families SET ends_at = now() - interval '1 second' WHERE user_id = $1`, [ann.user.id])
  const ended = await refresh(app, next)
  t.equal(ended.statusCode, 401)
  t.same(ended.json(), { error: { code: 'sign_in_expired', message: 'this sign-in has reached its maximum age; sign in again' } })
})
