import type { FastifyInstance } from 'fastify'
import { JWKS_PATH } from '@tandem/contracts'
import type { AuthContext } from '../context.ts'

/** GET /.well-known/jwks.json: the public keys access tokens are verified with. */
export async function jwksRoute(app: FastifyInstance, { ctx }: { ctx: AuthContext }): Promise<void> {
  const body = { keys: ctx.keys.all.map((key) => key.publicJwk) }
  app.get(JWKS_PATH, { logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=300').send(body)
  })
}
