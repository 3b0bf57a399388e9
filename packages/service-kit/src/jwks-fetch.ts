import { createPublicKey } from 'node:crypto'
import { ACCESS_TOKEN_ALGORITHM } from '@tandem/contracts'

/** A JWKS request that takes longer than this fails (the tokens waiting for it are refused). */
const FETCH_TIMEOUT_MS = 5000

/**
 * The issuer's whole JWKS, as the PEM of each signing key by its `kid`. Keys for another
 * algorithm, and keys Node cannot read, are left out: a token naming them is refused.
 */
export async function fetchJwks(url: string): Promise<Map<string, string>> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  if (!response.ok) throw new Error(`JWKS request failed with HTTP ${response.status}`)
  const body = (await response.json()) as { keys?: unknown } | null
  if (!Array.isArray(body?.keys)) throw new Error('JWKS has no keys array')
  const pems = new Map<string, string>()
  for (const jwk of body.keys as Array<Record<string, unknown> | null>) {
    if (typeof jwk?.kid !== 'string' || (jwk.alg !== undefined && jwk.alg !== ACCESS_TOKEN_ALGORITHM)) continue
    try {
      pems.set(jwk.kid, createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString())
    } catch {
      // not a public key Node can read
    }
  }
  return pems
}
