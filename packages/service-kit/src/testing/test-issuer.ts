import { createServer, type Server } from 'node:http'
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createSigner } from 'fast-jwt'
import { ACCESS_TOKEN_AUDIENCE, JWKS_PATH, type AccessTokenClaims } from '@tandem/contracts'

export interface TestIssuer {
  issuer: string
  jwksUrl: string
  kid: string
  privateKey: KeyObject
  publicKeyPem: string
  /** A valid access token for `sub`, with any claim overridden. */
  sign(sub: string, overrides?: Partial<AccessTokenClaims>): string
  /** Key rotation: a new key is published beside the old one and signs from now on. */
  rotate(): void
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number
  close(): Promise<void>
}

/**
 * A stand-in for auth-service's signing side: an Ed25519 key served as a JWKS over real HTTP, so
 * services can be tested with real tokens without running auth-service.
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  const keys: object[] = []
  let current = newKey()
  let jwksFetches = 0
  function newKey() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const kid = randomUUID()
    keys.push({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' })
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    return { privateKey, publicKey, kid, signer: createSigner({ key: privatePem, algorithm: 'EdDSA', kid }) }
  }
  const server: Server = createServer((req, res) => {
    if (req.url === JWKS_PATH) {
      jwksFetches++
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `http://127.0.0.1:${port}`
  return {
    issuer,
    jwksUrl: `${issuer}${JWKS_PATH}`,
    get kid() {
      return current.kid
    },
    get privateKey() {
      return current.privateKey
    },
    get publicKeyPem() {
      return current.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    },
    rotate() {
      current = newKey()
    },
    get jwksFetches() {
      return jwksFetches
    },
    sign(sub, overrides = {}) {
      const now = Math.floor(Date.now() / 1000)
      return current.signer({
        sub,
        name: `user ${sub.slice(0, 8)}`,
        iss: issuer,
        aud: ACCESS_TOKEN_AUDIENCE,
        iat: now,
        exp: now + 900,
        jti: randomUUID(),
        ...overrides,
      })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
