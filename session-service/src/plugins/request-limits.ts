import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'
import { limitHook, type LimitHook, type TypedFastify } from '@tandem/service-kit'
import type { RequestLimits } from '../config.ts'

/** What a route costs: reading, changing a session (join, leave, end, its settings, its invite link), or starting one. */
export type RouteKind = 'read' | 'membership' | 'create'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the budget a session route counts against (`request-limits.ts`) */
    limit?: RouteKind
  }
}

/** Distinct users (or addresses) each budget remembers; the least recently seen are forgotten first. */
const MAX_KEYS = 100_000

/**
 * Authenticates every request of the routes registered in `app`'s scope and counts it: per
 * verified user against the budget of its route's kind, or, when the token is refused, per
 * client address, so that a loop of bad tokens meets a limit too. An exceeded budget is a 429
 * `rate_limited` with `Retry-After`. Counters live in this process (@fastify/rate-limit's
 * in-memory store): with N replicas behind a balancer a user may get up to N times the budget.
 */
export async function authenticateAndLimit(app: TypedFastify, limits: RequestLimits): Promise<void> {
  await app.register(rateLimit, { global: false })

  function budget(max: number, keyOf: (request: FastifyRequest) => string): LimitHook {
    // createRateLimit's type leaves out `cache`, which the store it makes does take
    const options: RateLimitOptions = { max, timeWindow: limits.windowMs, keyGenerator: keyOf, cache: MAX_KEYS }
    return limitHook(app, options, 'requests')
  }
  const byUser = (request: FastifyRequest) => request.user.sub
  const budgets: Record<RouteKind, LimitHook> = {
    read: budget(limits.reads, byUser),
    membership: budget(limits.membership, byUser),
    create: budget(limits.creates, byUser),
  }
  const unauthenticated = budget(limits.unauthenticated, (request) => request.ip)

  app.addHook('onRequest', async (request, reply) => {
    try {
      await app.authenticate(request)
    } catch (err) {
      await unauthenticated(request, reply)
      throw err
    }
    await budgets[request.routeOptions.config.limit ?? 'read'](request, reply)
  })
}
