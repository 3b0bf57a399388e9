import t from 'tap'
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyFile, KEYS_SUBDIR, loadSigningKeys } from '../../src/tokens/signing-keys.ts'
import { tempDir } from '../fixtures/auth-app.ts'

t.test('the first start generates an Ed25519 key readable only by its owner; later starts reuse it', async (t) => {
  const dataDir = tempDir()
  const first = loadSigningKeys({ dataDir })
  const dir = join(dataDir, KEYS_SUBDIR)
  const files = readdirSync(dir)
  t.equal(files.length, 1)
  t.match(files[0], /^ed25519-\d{8}T\d{6}Z\.pem$/)
  t.equal(statSync(join(dir, files[0]!)).mode & 0o777, 0o600, 'key file mode 0600')
  t.equal(statSync(dir).mode & 0o777, 0o700, 'key directory mode 0700')
  t.match(first.current.publicJwk, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: first.current.kid })
  t.notOk('d' in first.current.publicJwk, 'the published JWK has no private part')

  const second = loadSigningKeys({ dataDir })
  t.equal(second.current.kid, first.current.kid, 'the same key after a restart')
  t.equal(readdirSync(dir).length, 1)
})

t.test('the kid is the RFC 7638 thumbprint of the public key', async (t) => {
  // Test vector from RFC 8037, appendix A.3
  const dataDir = tempDir()
  mkdirSync(join(dataDir, KEYS_SUBDIR), { recursive: true })
  const rfcKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    format: 'jwk',
  }).export({ type: 'pkcs8', format: 'pem' })
  writeFileSync(join(dataDir, KEYS_SUBDIR, 'rfc.pem'), rfcKey, { mode: 0o600 })
  const { current } = loadSigningKeys({ dataDir })
  t.equal(current.publicJwk.x, '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo')
  t.equal(current.kid, 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')
})

t.test('with several keys, the newest signs and all are published (rotation)', async (t) => {
  const dataDir = tempDir()
  const old = loadSigningKeys({ dataDir }).current
  generateKeyFile(join(dataDir, KEYS_SUBDIR), new Date(Date.now() + 60_000))
  const keys = loadSigningKeys({ dataDir })
  t.equal(keys.all.length, 2)
  t.not(keys.current.kid, old.kid, 'the newer key signs')
  t.same(keys.all.map((k) => k.kid), [old.kid, keys.current.kid], 'the old key is still published')
})

t.test('AUTH_PRIVATE_KEY_FILE: that key is used and nothing is generated', async (t) => {
  const dataDir = tempDir()
  const file = join(tempDir(), 'auth.pem')
  writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  const keys = loadSigningKeys({ dataDir, privateKeyFile: file })
  t.equal(keys.all.length, 1)
  t.same(readdirSync(dataDir), [], 'the data directory stays empty')
})

t.test('a key that is not Ed25519, or not a key at all, is refused with the file named', async (t) => {
  const dir = tempDir()
  const rsa = join(dir, 'rsa.pem')
  writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }))
  t.throws(() => loadSigningKeys({ dataDir: dir, privateKeyFile: rsa }), /rsa\.pem holds a rsa key; access tokens need Ed25519/)
  const junk = join(dir, 'junk.pem')
  writeFileSync(junk, 'hello')
  t.throws(() => loadSigningKeys({ dataDir: dir, privateKeyFile: junk }), /junk\.pem is not a PEM private key/)
})

t.test('a key file others can read is loaded with a warning', async (t) => {
  const dataDir = tempDir()
  loadSigningKeys({ dataDir })
  const dir = join(dataDir, KEYS_SUBDIR)
  chmodSync(join(dir, readdirSync(dir)[0]!), 0o644)
  const warnings: string[] = []
  loadSigningKeys({ dataDir, warn: (m) => warnings.push(m) })
  t.match(warnings, [/readable by other users; chmod 600 it/])
})
