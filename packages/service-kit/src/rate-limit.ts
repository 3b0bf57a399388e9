import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CreateRateLimitOptions } from '@fastify/rate-limit'
import { AppError } from './errors.ts'

export type LimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/** The answer to every exceeded limit: 429 `rate_limited` with `Retry-After`; `what` names what was counted. */
export function rateLimited(reply: FastifyReply, seconds: number, what: string): AppError {
  reply.header('retry-after', seconds)
  return new AppError(429, 'rate_limited', `too many ${what}; try again in ${seconds} s`)
}

/**
 * A hook that counts each request with @fastify/rate-limit's `createRateLimit` (the plugin must
 * be registered on `app`, `global: false`) and throws `rateLimited` once the limit is exceeded.
 */
export function limitHook(app: FastifyInstance, options: CreateRateLimitOptions, what: string): LimitHook {
  const check = app.createRateLimit(options)
  return async function limit(request, reply) {
    const result = await check(request)
    if (result.isAllowed || !result.isExceeded) return
    throw rateLimited(reply, result.ttlInSeconds, what)
  }
}
