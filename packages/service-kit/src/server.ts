import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

/**
 * Listens, then closes gracefully on SIGINT/SIGTERM or a fatal error: stops accepting, lets
 * in-flight requests finish (the app's onClose hooks drain NATS and close pools), then exits.
 */
export async function runServer(app: FastifyInstance, opts: { port: number; host: string; graceMs?: number }): Promise<void> {
  closeWithGrace({ delay: opts.graceMs ?? 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after a fatal error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ port: opts.port, host: opts.host })
}
