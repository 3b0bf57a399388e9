import { JWKS_PATH, JwksResponseSchema } from '@tandem/contracts'
import type { TypedFastify } from '@tandem/service-kit'
import type { AuthContext } from '../context.ts'

/** GET /.well-known/jwks.json: the public keys access tokens are verified with. */
export async function jwksRoute(app: TypedFastify, { ctx }: { ctx: AuthContext }): Promise<void> {
  const body = { keys: ctx.keys.all.map((key) => key.publicJwk) }
  const schema = { tags: ['tokens'], summary: 'the public keys access tokens are verified with', response: { 200: JwksResponseSchema } }
  app.get(JWKS_PATH, { logLevel: 'warn', schema }, async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=300').send(body)
  })
}
