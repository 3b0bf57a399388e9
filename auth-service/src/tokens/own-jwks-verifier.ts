import type { FastifyInstance } from 'fastify'
import { JWKS_PATH } from '@tandem/contracts'
import { AppError, createJwksVerifier, type JwksVerifier } from '@tandem/service-kit'

/**
 * The JWKS verifier of service-kit, pointed at this very process over loopback, so auth-service
 * accepts exactly the tokens the other services accept. The URL is resolved at the first fetch,
 * because the port is known only once the server listens (tests listen on port 0).
 */
export function ownJwksVerifier(app: FastifyInstance, issuer: string): JwksVerifier {
  return createJwksVerifier({ jwksUrl: () => `${loopbackBaseUrl(app)}${JWKS_PATH}`, issuer })
}

function loopbackBaseUrl(app: FastifyInstance): string {
  const address = app.server.address()
  if (!address || typeof address === 'string') {
    throw new AppError(503, 'unavailable', 'the server is not listening yet')
  }
  const wildcard = address.address === '0.0.0.0' || address.address === '::'
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}
