import t from 'tap'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import { createJwksVerifier } from '../src/index.ts'
import { startTestIssuer, startUnknownKidFlood, unknownKidToken, waitFor } from '../src/testing/index.ts'

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

t.test('a token of a freshly rotated key waits for the next allowed fetch instead of being refused', async (t) => {
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 300 })
  await verifier.verify(issuer.sign('a'))
  issuer.rotate()
  t.equal((await verifier.verify(issuer.sign('b'))).sub, 'b', 'accepted, although the last fetch was within the interval')
  t.equal(issuer.jwksFetches, 2)
})

t.test('an unknown kid is refused after one fetch, then at once from the negative cache', async (t) => {
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 100 })
  await verifier.verify(issuer.sign('a'))
  const token = unknownKidToken(issuer.issuer)
  await t.rejects(verifier.verify(token), { statusCode: 401, code: 'invalid_token' })
  const fetches = issuer.jwksFetches
  t.equal(fetches, 2, 'one fetch answered the unknown kid')
  for (let i = 0; i < 5; i++) await t.rejects(verifier.verify(token), { code: 'invalid_token' })
  t.equal(issuer.jwksFetches, fetches, 'the same kid again fetched nothing')
})

t.test('a key rotated during a flood of made-up kids is accepted while the flood goes on, with fetches bounded', async (t) => {
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const interval = 200
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: interval })
  await verifier.verify(issuer.sign('before'))
  const started = Date.now()
  let accepted = 0
  const flood = startUnknownKidFlood(issuer.issuer, (token) => verifier.verify(token).then(() => accepted++), 16)
  t.teardown(() => flood.stop())
  await waitFor(() => flood.sent >= 50, 30_000, 'the flood to be under way')
  issuer.rotate()
  const sentAtRotation = flood.sent
  const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => verifier.verify(issuer.sign(`after-${i}`))))
  t.same(claims.map((c) => c.sub), Array.from({ length: 10 }, (_, i) => `after-${i}`), 'every token of the new key is accepted')
  t.equal((await verifier.verify(issuer.sign('later'))).sub, 'later', 'and so is a later one')
  await waitFor(() => flood.sent >= sentAtRotation + 50, 30_000, 'the flood to go on')
  t.ok(flood.sent > sentAtRotation, 'the flood was still going when the new key got in')
  await flood.stop()
  const elapsed = Date.now() - started
  t.equal(accepted, 0, 'no flood token was accepted')
  // fetches start at least `interval` apart, one at a time, however many kids arrive
  t.ok(issuer.jwksFetches <= 2 + elapsed / interval, `${issuer.jwksFetches} fetches in ${elapsed} ms at one per ${interval} ms`)
  t.ok(issuer.jwksFetches < flood.sent / 5, `${issuer.jwksFetches} fetches for ${flood.sent} distinct unknown kids`)
  t.comment(`unknown-kid flood: ${flood.sent} distinct kids in ${elapsed} ms, ${issuer.jwksFetches} JWKS fetches, 11 tokens of the rotated key accepted`)
})

t.test('tokens that arrive together with a key not fetched yet are all accepted', async (t) => {
  // A replica that just started, or a key just rotated, meets every client at once.
  const issuer = await startTestIssuer()
  t.teardown(() => issuer.close())
  const verifier = createJwksVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, unknownKidRefetchIntervalMs: 60_000 })
  const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => verifier.verify(issuer.sign(`user-${i}`))))
  t.same(claims.map((c) => c.sub), Array.from({ length: 20 }, (_, i) => `user-${i}`))
})
