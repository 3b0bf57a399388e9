import t from 'tap'
import { post, register, startAuthApp } from '../fixtures/auth-app.ts'
import { readSigningKey } from '../fixtures/forge-token.ts'
import { tokenAttacks, validToken, type SigningKey } from '@tandem/service-kit/testing/abuse'

const { app, baseUrl, config } = await startAuthApp(t, { listen: true })
const ann = await register(app)
const key: SigningKey = { ...readSigningKey(config.dataDir), kid: app.auth.keys.current.kid, issuer: config.issuer }

const me = (authorization?: string) => fetch(`${baseUrl}/v1/me`, { headers: authorization === undefined ? {} : { authorization } })
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

t.test('GET /v1/me refuses every forged, expired, premature and misdirected access token', async (t) => {
  t.equal((await me(`Bearer ${validToken(key, ann.user.id)}`)).status, 200, 'control: a token signed with the real key passes')
  const attacks = tokenAttacks(key, ann.user.id)
  let refused = 0
  for (const { attack, token, code } of attacks) {
    const res = await me(`Bearer ${token}`)
    t.equal(res.status, 401, attack)
    t.equal(await errorCode(res), code, attack)
    if (res.status === 401) refused++
  }
  t.comment(`token attacks on auth-service GET /v1/me: ${attacks.length} attacks, ${refused} refused with 401`)
})

t.test('a missing or malformed Authorization header is 401', async (t) => {
  const cases: Array<[string, string | undefined, string]> = [
    ['no header', undefined, 'unauthenticated'],
    ['Basic credentials', 'Basic YW5uOnB3', 'invalid_token'],
    ['Bearer without a token', 'Bearer', 'invalid_token'],
    ['two tokens', `Bearer ${ann.accessToken} ${ann.accessToken}`, 'invalid_token'],
    ['the token without Bearer', ann.accessToken, 'invalid_token'],
  ]
  for (const [what, authorization, code] of cases) {
    const res = await me(authorization)
    t.equal(res.status, 401, what)
    t.equal(await errorCode(res), code, what)
  }
})

t.test('revoked, reused, expired and unknown refresh tokens are refused and give nothing', async (t) => {
  const liveFamilies = async () =>
    (await app.auth.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM refresh_token_families WHERE revoked_at IS NULL')).rows[0]!.n
  let refused = 0
  const refresh = async (refreshToken: string, code: string, what: string) => {
    const res = await post(app, '/v1/refresh', { refreshToken })
    t.equal(res.statusCode, 401, what)
    t.equal(res.json().error.code, code, what)
    if (res.statusCode === 401) refused++
  }

  const loggedOut = await register(app)
  t.equal((await post(app, '/v1/logout', { refreshToken: loggedOut.refreshToken })).statusCode, 204)
  await refresh(loggedOut.refreshToken, 'refresh_token_revoked', 'used after logout')

  const stolen = await register(app)
  const rotated = await post(app, '/v1/refresh', { refreshToken: stolen.refreshToken })
  t.equal(rotated.statusCode, 200)
  const live = await liveFamilies()
  await refresh(stolen.refreshToken, 'refresh_token_reused', 'a rotated token replayed')
  t.equal(await liveFamilies(), live - 1, 'the replay revoked its whole sign-in')
  await refresh(rotated.json().refreshToken, 'refresh_token_revoked', 'the newer token of that sign-in is dead too')

  const old = await register(app)
  await app.auth.pool.query(
    `UPDATE refresh_tokens SET expires_at = now() - interval '1 second'
      WHERE family_id IN (SELECT id FROM refresh_token_families WHERE user_id = $1)`,
    [old.user.id],
  )
  await refresh(old.refreshToken, 'refresh_token_expired', 'expired')
  const signIns = await liveFamilies()
  for (const unknown of ['x', ann.accessToken.slice(0, 512), 'A'.repeat(43)]) await refresh(unknown, 'invalid_refresh_token', 'unknown')
  t.equal(await liveFamilies(), signIns, 'no refused refresh started or revived a sign-in')
  t.comment(`refresh-token attacks on auth-service: ${refused} refused with 401 (revoked, reused, revoked heir, expired, 3 unknown), sign-ins revived: 0`)
})
