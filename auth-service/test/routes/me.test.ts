import t from 'tap'
import { register, startAuthApp } from '../fixtures/auth-app.ts'
import { claimsFor, foreignEd25519Key, headerOf, hs256WithPublicKey, payloadOf, readSigningKey, signEdDsa, unsigned } from '../fixtures/forge-token.ts'

t.test('GET /v1/me', async (t) => {
  const { app, baseUrl, config } = await startAuthApp(t, { listen: true })
  const ann = await register(app)
  const me = (authorization?: string) => fetch(`${baseUrl}/v1/me`, { headers: authorization ? { authorization } : {} })

  t.test('returns the signed-in user for a token auth-service issued', async (t) => {
    const res = await me(`Bearer ${ann.accessToken}`)
    t.equal(res.status, 200)
    t.same(await res.json(), ann.user)
  })

  t.test('the access token carries the agreed header and claims', async (t) => {
    const header = headerOf(ann.accessToken)
    const claims = payloadOf(ann.accessToken)
    t.same(header, { alg: 'EdDSA', typ: 'JWT', kid: app.auth.keys.current.kid })
    t.same(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'name', 'sub'])
    t.match(claims, { sub: ann.user.id, name: ann.user.displayName, iss: config.issuer, aud: 'tandem' })
    t.equal(claims.exp - claims.iat, 900)
    t.not(payloadOf((await register(app)).accessToken).jti, claims.jti, 'every token has its own jti')
  })

  t.test('a token signed with our key and the right claims is accepted (the control case)', async (t) => {
    const { privateKeyPem } = readSigningKey(config.dataDir)
    const token = signEdDsa(privateKeyPem, app.auth.keys.current.kid, claimsFor(ann.user.id, config.issuer))
    t.equal((await me(`Bearer ${token}`)).status, 200)
  })

  t.test('forged, expired and misdirected tokens are all 401 with the error shape', async (t) => {
    const { privateKeyPem, publicKeyPem } = readSigningKey(config.dataDir)
    const kid = app.auth.keys.current.kid
    const valid = claimsFor(ann.user.id, config.issuer)
    const now = Math.floor(Date.now() / 1000)
    const [header, , signature] = ann.accessToken.split('.')
    const otherPayload = Buffer.from(JSON.stringify({ ...payloadOf(ann.accessToken), sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')

    const cases: Array<[string, string, string]> = [
      ['alg: none', unsigned(kid, valid), 'invalid_token'],
      ['HS256 signed with the public key', hs256WithPublicKey(publicKeyPem, kid, valid), 'invalid_token'],
      ['a foreign Ed25519 key claiming our kid', signEdDsa(foreignEd25519Key(), kid, valid), 'invalid_token'],
      ['a foreign Ed25519 key with its own kid', signEdDsa(foreignEd25519Key(), 'someone-elses-key', valid), 'invalid_token'],
      ['expired', signEdDsa(privateKeyPem, kid, { ...valid, iat: now - 1000, exp: now - 100 }), 'token_expired'],
      ['wrong audience', signEdDsa(privateKeyPem, kid, { ...valid, aud: 'another-system' }), 'invalid_token'],
      ['wrong issuer', signEdDsa(privateKeyPem, kid, { ...valid, iss: 'http://evil.test' }), 'invalid_token'],
      ['no jti', signEdDsa(privateKeyPem, kid, { ...valid, jti: undefined }), 'invalid_token'],
      ['payload swapped under a valid signature', `${header}.${otherPayload}.${signature}`, 'invalid_token'],
      ['not a JWT at all', 'hello', 'invalid_token'],
    ]
    for (const [name, token, code] of cases) {
      const res = await me(`Bearer ${token}`)
      t.equal(res.status, 401, name)
      const body = (await res.json()) as { error: { code: string; message: string } }
      t.equal(body.error.code, code, name)
      t.type(body.error.message, 'string', name)
    }
  })

  t.test('a missing or non-Bearer Authorization header is 401', async (t) => {
    const none = await me()
    t.equal(none.status, 401)
    t.equal(((await none.json()) as { error: { code: string } }).error.code, 'unauthenticated')
    const basic = await me('Basic YW5uOnB3')
    t.equal(basic.status, 401)
    t.equal(((await basic.json()) as { error: { code: string } }).error.code, 'invalid_token')
  })

  t.test('a valid token of a deleted account is 404 user_not_found', async (t) => {
    const gone = await register(app)
    await app.auth.pool.query('DELETE FROM users WHERE id = $1', [gone.user.id])
    const res = await me(`Bearer ${gone.accessToken}`)
    t.equal(res.status, 404)
    t.same(await res.json(), { error: { code: 'user_not_found', message: 'this account no longer exists' } })
  })
})
