import { randomUUID } from 'node:crypto'
import { ACCESS_TOKEN_AUDIENCE } from '@tandem/contracts'

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * An access token that is right in every way except that its `kid` is made up (a fresh one each
 * call), so no JWKS holds it. Its signature is never checked: there is no key to check it with.
 */
export function unknownKidToken(issuer: string, sub = randomUUID()): string {
  const now = Math.floor(Date.now() / 1000)
  const header = { alg: 'EdDSA', typ: 'JWT', kid: randomUUID() }
  const claims = { sub, name: 'flood', iss: issuer, aud: ACCESS_TOKEN_AUDIENCE, iat: now, exp: now + 900, jti: randomUUID() }
  return `${b64(header)}.${b64(claims)}.${Buffer.alloc(64, 7).toString('base64url')}`
}

export interface UnknownKidFlood {
  /** tokens sent so far (each answered, whatever the answer) */
  readonly sent: number
  /** Stops sending and waits for the tokens under way. */
  stop(): Promise<void>
}

/**
 * `workers` loops, each sending `unknownKidToken`s through `send` one after another until
 * stopped: a flood of tokens with distinct unknown key ids. `send` should not throw on refusal.
 */
export function startUnknownKidFlood(issuer: string, send: (token: string) => Promise<unknown>, workers = 8): UnknownKidFlood {
  let sent = 0
  let stopped = false
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) {
      await send(unknownKidToken(issuer)).catch(() => undefined)
      sent++
    }
  })
  return {
    get sent() {
      return sent
    },
    async stop() {
      stopped = true
      await Promise.all(loops)
    },
  }
}
