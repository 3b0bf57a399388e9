import t from 'tap'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { register, startAuthApp } from '../fixtures/auth-app.ts'

const verifierScript = fileURLToPath(new URL('../fixtures/verify-with-jwks.ts', import.meta.url))

/** Verifies `token` in a separate Node process that knows only the JWKS URL and the issuer. */
function verifyElsewhere(jwksUrl: string, issuer: string, token: string): Promise<{ exitCode: number; output: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', verifierScript, jwksUrl, issuer, token], { timeout: 30_000 }, (err, stdout, stderr) => {
      const exitCode = err ? ((err as { code?: number }).code ?? 1) : 0
      try {
        resolve({ exitCode, output: JSON.parse(stdout) })
      } catch {
        reject(new Error(`verifier printed no JSON (exit ${exitCode}): ${stdout} ${stderr}`))
      }
    })
  })
}

t.test('JWKS', async (t) => {
  const { app, baseUrl, config } = await startAuthApp(t, { listen: true })
  const jwksUrl = `${baseUrl}/.well-known/jwks.json`

  t.test('lists the public key with kid, alg and use, and nothing private', async (t) => {
    const res = await fetch(jwksUrl)
    t.equal(res.status, 200)
    t.equal(res.headers.get('cache-control'), 'public, max-age=300')
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> }
    t.equal(keys.length, 1)
    t.same(Object.keys(keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x'])
    t.match(keys[0], { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: app.auth.keys.current.kid })
  })

  t.test('a token issued here verifies in a separate process that only knows the JWKS URL', async (t) => {
    const ann = await register(app)
    const [h, p, s] = ann.accessToken.split('.')
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`
    const [ok, bad, otherIssuer] = await Promise.all([
      verifyElsewhere(jwksUrl, config.issuer, ann.accessToken),
      verifyElsewhere(jwksUrl, config.issuer, flipped),
      verifyElsewhere(jwksUrl, 'http://someone-else.test', ann.accessToken),
    ])
    t.equal(ok.exitCode, 0)
    t.match(ok.output, { sub: ann.user.id, name: ann.user.displayName, iss: config.issuer, aud: 'tandem' })
    t.equal(bad.exitCode, 1, 'a tampered signature is refused there too')
    t.same(bad.output, { error: 'invalid_token' })
    t.equal(otherIssuer.exitCode, 1, 'and so is a token for another issuer')
  })
})
