import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { AppError } from '@tandem/service-kit'
import type { RateLimitConfig } from '../config.ts'
import { normalizeEmail } from '../users/email.ts'
import { pgRateLimitStore } from './pg-rate-limit-store.ts'
import { clientAddressKey } from './client-address.ts'

type LimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

export interface AttemptLimits {
  /** onRequest hook: at most `perIp` attempts at `action` per client address and window. */
  perIp(action: string): LimitHook
  /** preHandler hook (the body is validated by then): at most `perAccount` per e-mail address and window. */
  perAccount(action: string): LimitHook
}

declare module 'fastify' {
  interface FastifyInstance {
    attemptLimits: AttemptLimits
  }
}

/**
 * Limits sign-in and sign-up attempts per client address and per account; an exceeded limit
 * is a 429 `rate_limited` with `Retry-After`. Counters live in PostgreSQL (shared by replicas).
 */
export const attemptLimitsPlugin = fp(
  async function attemptLimits(app: FastifyInstance, opts: { pool: pg.Pool; limits: RateLimitConfig }) {
    await app.register(rateLimit, { global: false, store: pgRateLimitStore(opts.pool) })

    function limiter(max: number, keyOf: (request: FastifyRequest) => string): LimitHook {
      const check = app.createRateLimit({ max, timeWindow: opts.limits.windowMs, keyGenerator: keyOf })
      return async function limit(request, reply) {
        const result = await check(request)
        if (result.isAllowed || !result.isExceeded) return
        reply.header('retry-after', result.ttlInSeconds)
        throw new AppError(429, 'rate_limited', `too many attempts; try again in ${result.ttlInSeconds} s`)
      }
    }

    app.decorate('attemptLimits', {
      perIp: (action) => limiter(opts.limits.perIp, (request) => `${action}:ip:${clientAddressKey(request.ip)}`),
      perAccount: (action) =>
        limiter(opts.limits.perAccount, (request) => {
          const email = normalizeEmail((request.body as { email: string }).email)
          return `${action}:account:${createHash('sha256').update(email).digest('base64url')}`
        }),
    } satisfies AttemptLimits)
  },
  { name: 'auth-attempt-limits' },
)
