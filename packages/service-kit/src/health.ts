import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { errorBody, LivenessResponseSchema, NotReadyResponseSchema, ReadinessResponseSchema } from '@tandem/contracts'

/** A readiness check: resolves when the dependency answers, throws (or times out) when not. */
export type ReadinessCheck = () => Promise<unknown>

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>
  timeoutMs?: number
  /**
   * True once the process is shutting down on purpose: `/readyz` then answers 503 `draining`
   * without running the checks, so a balancer takes it out of the pool while it finishes.
   */
  draining?: () => boolean
}

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers, else 503 with the
 * failing checks named, so an orchestrator stops routing to it until it recovers; 503
 * `{error:{code:'draining'}}` while the process drains before it exits.
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
    const readiness = {
      tags,
      summary: 'every dependency answers',
      response: { 200: ReadinessResponseSchema, 503: NotReadyResponseSchema },
    }
    app.get('/readyz', { logLevel: 'warn', schema: readiness }, async (_request, reply) => {
      if (opts.draining?.()) return reply.status(503).send(errorBody('draining', 'this instance is shutting down; use another'))
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
