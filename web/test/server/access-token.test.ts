import t from 'tap'
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose'
import { accessVerifier } from '../../src/lib/server/access-token.ts'

const issuer = 'http://auth.example'
const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' }
const verify = accessVerifier({ authUrl: issuer, issuer, keys: createLocalJWKSet({ keys: [jwk] }) })

function token(over: { aud?: string; iss?: string; exp?: number; kid?: string; key?: CryptoKey } = {}) {
  return new SignJWT({ name: 'Ada' })
    .setProtectedHeader({ alg: 'EdDSA', kid: over.kid ?? 'k1' })
    .setSubject('user-1')
    .setIssuer(over.iss ?? issuer)
    .setAudience(over.aud ?? 'tandem')
    .setIssuedAt()
    .setExpirationTime(over.exp ?? Math.floor(Date.now() / 1000) + 600)
    .setJti('j1')
    .sign(over.key ?? privateKey)
}

t.test('a good token gives the user and its expiry', async (t) => {
  const exp = Math.floor(Date.now() / 1000) + 600
  t.same(await verify(await token({ exp })), { user: { id: 'user-1', displayName: 'Ada' }, expiresAt: exp * 1000 })
})

t.test('everything else is signed out', async (t) => {
  t.equal(await verify(await token({ aud: 'someone-else' })), null, 'wrong audience')
  t.equal(await verify(await token({ iss: 'http://evil.example' })), null, 'wrong issuer')
  t.equal(await verify(await token({ exp: Math.floor(Date.now() / 1000) - 10 })), null, 'expired')
  t.equal(await verify(await token({ key: other.privateKey })), null, 'signed by another key')
  t.equal(await verify(await token({ kid: 'unknown' })), null, 'unknown key id')
  const [header, payload] = (await token()).split('.')
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`
  t.equal(await verify(none), null, 'alg none')
  t.equal(await verify(`${header}.${payload}.AAAA`), null, 'bad signature')
  t.equal(await verify('not a token'), null, 'garbage')
})
