import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ACCESS_TOKEN_ALGORITHM } from '@tandem/contracts'

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key: stable, and the same on every replica sharing the key. */
  kid: string
  privateKeyPem: string
  publicJwk: PublicJwk
}

export interface PublicJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid: string
  alg: typeof ACCESS_TOKEN_ALGORITHM
  use: 'sig'
}

export interface SigningKeys {
  /** The key new tokens are signed with. */
  current: SigningKey
  /** Every key whose tokens are still accepted (the current one included), as published in the JWKS. */
  all: SigningKey[]
}

export interface SigningKeySource {
  dataDir: string
  /** When set, this PEM file (PKCS#8 Ed25519) is the only key and nothing is generated. */
  privateKeyFile?: string | undefined
  warn?: (message: string) => void
}

/** Subdirectory of the data directory holding one PEM file per key. */
export const KEYS_SUBDIR = 'signing-keys'

/**
 * Loads the Ed25519 signing keys. From a data directory, every `*.pem` in `signing-keys/` is
 * published and the one whose file name sorts last signs; on first start one is generated
 * there (mode 0600). To rotate, add a newer file and restart; remove the old one once the
 * tokens it signed have expired.
 */
export function loadSigningKeys(source: SigningKeySource): SigningKeys {
  if (source.privateKeyFile) {
    const key = signingKeyFromPem(readFileSync(source.privateKeyFile, 'utf8'), source.privateKeyFile)
    return { current: key, all: [key] }
  }
  const dir = join(source.dataDir, KEYS_SUBDIR)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  let files = pemFiles(dir)
  if (files.length === 0) {
    generateKeyFile(dir)
    files = pemFiles(dir)
  }
  const all = files.map((file) => {
    const path = join(dir, file)
    if ((statSync(path).mode & 0o077) !== 0) {
      source.warn?.(`signing key ${path} is readable by other users; chmod 600 it`)
    }
    return signingKeyFromPem(readFileSync(path, 'utf8'), path)
  })
  return { current: all.at(-1)!, all }
}

/** Writes a new Ed25519 key into `dir` (mode 0600) and returns its path. */
export function generateKeyFile(dir: string, now = new Date()): string {
  const { privateKey } = generateKeyPairSync('ed25519')
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const path = join(dir, `ed25519-${stamp}.pem`)
  try {
    // 'wx': two replicas starting on one fresh volume must not overwrite each other's key
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  chmodSync(path, 0o600)
  return path
}

function pemFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.pem')).sort()
}

function signingKeyFromPem(pem: string, where: string): SigningKey {
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(pem)
  } catch {
    throw new Error(`${where} is not a PEM private key`)
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${where} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; access tokens need Ed25519`)
  }
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string }
  const kid = jwkThumbprint(x)
  return {
    kid,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' },
  }
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
function jwkThumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url')
}
