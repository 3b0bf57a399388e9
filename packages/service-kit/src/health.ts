import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { LivenessResponseSchema, ReadinessResponseSchema } from '@tandem/contracts'

/** A readiness check: resolves when the dependency answers, throws (or times out) when not. */
export type ReadinessCheck = () => Promise<unknown>

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>
  timeoutMs?: number
}

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers, else 503 with the
 * failing checks named, so an orchestrator stops routing to it until it recovers.
 */
export const healthPlugin = fp(
  async function health(app: FastifyInstance, opts: HealthOptions) {
    const timeoutMs = opts.timeoutMs ?? 2000
    const tags = ['health']
    app.get(
      '/healthz',
      { logLevel: 'warn', schema: { tags, summary: 'the process is alive', response: { 200: LivenessResponseSchema } } },
      async () => ({ status: 'ok' }),
    )
    const readiness = { tags, summary: 'every dependency answers', response: { 200: ReadinessResponseSchema, 503: ReadinessResponseSchema } }
    app.get('/readyz', { logLevel: 'warn', schema: readiness }, async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(opts.checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
      )
      const checks = Object.fromEntries(entries)
      const ready = entries.every(([, result]) => result === 'ok')
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks })
    })
  },
  { name: 'tandem-health' },
)

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([check(), timeout])
    return 'ok'
  } catch (err) {
    return (err as Error).message || 'failed'
  } finally {
    clearTimeout(timer)
  }
}
