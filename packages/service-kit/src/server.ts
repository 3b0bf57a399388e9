import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface RunServerOptions {
  port: number
  host: string
  /** How long the shutdown (drain included) may take before the process exits anyway. */
  graceMs?: number
  /**
   * Runs on SIGINT/SIGTERM before `app.close()`: the service hands its clients over (refuses
   * new work, tells the balancer it is leaving, lets long-lived connections go). Not run after
   * a fatal error.
   */
  drain?: () => Promise<void>
}

/**
 * Listens, then closes gracefully on SIGINT/SIGTERM or a fatal error: drains when the service
 * knows how, stops accepting, lets in-flight requests finish (the app's onClose hooks drain NATS
 * and close pools), then exits.
 */
export async function runServer(app: FastifyInstance, opts: RunServerOptions): Promise<void> {
  closeWithGrace({ delay: opts.graceMs ?? 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after a fatal error')
    else app.log.info({ signal }, 'closing')
    if (signal && opts.drain) await opts.drain()
    await app.close()
  })
  await app.listen({ port: opts.port, host: opts.host })
}
