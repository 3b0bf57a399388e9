import t from 'tap'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import { createJwksVerifier } from '../src/index.ts'
import { startTestIssuer } from '../src/testing/index.ts'

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')

t.test('verifier', async (t) => {
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 0 })
  const now = Math.floor(Date.now() / 1000)

  t.test('accepts a valid token and returns its claims', async (t) => {
    const claims = await verifier.verify(issuer.sign('user-1', { name: 'Ada' }))
    t.equal(claims.sub, 'user-1')
    t.equal(claims.name, 'Ada')
  })

  const rejected: Array<[string, () => string, string]> = [
    ['garbage', () => 'not-a-jwt', 'invalid_token'],
    ['empty', () => '', 'invalid_token'],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT', kid: issuer.kid })}.${b64({ sub: 'x', iss: issuer.issuer, aud: 'tandem', exp: now + 60, jti: 'j' })}.`, 'invalid_token'],
    ['HS256 signed with the public key', () => createSigner({ algorithm: 'HS256', key: issuer.publicKeyPem, kid: issuer.kid })({ sub: 'x', iss: issuer.issuer, aud: 'tandem', jti: 'j', exp: now + 60 }), 'invalid_token'],
    ['a foreign Ed25519 key under the right kid', () => {
      const foreign = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      return createSigner({ algorithm: 'EdDSA', key: foreign, kid: issuer.kid })({ sub: 'x', iss: issuer.issuer, aud: 'tandem', jti: 'j', exp: now + 60 })
    }, 'invalid_token'],
    ['an unknown kid', () => {
      const foreign = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      return createSigner({ algorithm: 'EdDSA', key: foreign, kid: randomUUID() })({ sub: 'x', iss: issuer.issuer, aud: 'tandem', jti: 'j', exp: now + 60 })
    }, 'invalid_token'],
    ['expired', () => issuer.sign('u', { iat: now - 1000, exp: now - 10 }), 'token_expired'],
    ['not yet valid', () => issuer.sign('u', { nbf: now + 600 } as never), 'invalid_token'],
    ['wrong audience', () => issuer.sign('u', { aud: 'someone-else' }), 'invalid_token'],
    ['wrong issuer', () => issuer.sign('u', { iss: 'http://evil.example' }), 'invalid_token'],
    ['tampered payload', () => {
      const [h, , s] = issuer.sign('u').split('.')
      return `${h}.${b64({ sub: 'admin', iss: issuer.issuer, aud: 'tandem', exp: now + 60, jti: 'j' })}.${s}`
    }, 'invalid_token'],
  ]
  for (const [name, token, code] of rejected) {
    t.test(`rejects ${name}`, async (t) => {
      await t.rejects(verifier.verify(token()), { statusCode: 401, code })
    })
  }

  t.test('refetches the JWKS when a token names a new key (rotation)', async (t) => {
    await verifier.verify(issuer.sign('before'))
    issuer.rotate()
    const claims = await verifier.verify(issuer.sign('after'))
    t.equal(claims.sub, 'after')
  })
})

t.test('limits JWKS fetches for unknown kids', async (t) => {
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 60_000 })
  await verifier.verify(issuer.sign('a'))
  issuer.rotate()
  await t.rejects(verifier.verify(issuer.sign('b')), { code: 'invalid_token' }, 'within the interval, an unknown kid is not fetched')
})

t.test('tokens that arrive together with a key not fetched yet are all accepted', async (t) => {
  // A replica that just started, or a key just rotated, meets every client at once.
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 60_000 })
  const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => verifier.verify(issuer.sign(`user-${i}`))))
  t.same(claims.map((c) => c.sub), Array.from({ length: 20 }, (_, i) => `user-${i}`))
})
