import type { FastifyInstance } from 'fastify'
import { errorBody } from '@tandem/contracts'

/**
 * While the replica drains, every new API request and socket upgrade (`/v1/…`) is answered 503
 * `draining` before any work starts, so the balancer retries it on another replica. Health
 * routes still answer. Add after the WebSocket plugin, so that a refused upgrade's socket is
 * closed once the answer is sent.
 */
export function refuseWhileDraining(app: FastifyInstance, draining: () => boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!draining() || !request.url.startsWith('/v1/')) return
    return reply
      .code(503)
      .header('retry-after', '1')
      .header('connection', 'close')
      .send(errorBody('draining', 'this replica is shutting down; retry, another one will answer'))
  })
}
