import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type pg from 'pg'
import { limitHook, rateLimited, type LimitHook } from '@tandem/service-kit'
import type { RateLimitConfig } from '../config.ts'
import { normalizeEmail } from '../users/email.ts'
import { loginBackoff } from '../users/login-backoff.ts'
import { pgRateLimitStore } from './pg-rate-limit-store.ts'
import { clientAddressKey } from './client-address.ts'

export interface AttemptLimits {
  /** onRequest hook: at most `perIp` attempts at `action` per client address and window. */
  perIp(action: string): LimitHook
  /** preHandler hook (the body is validated by then): at most `perAccount` per (e-mail address, client address) and window. */
  perAccount(action: string): LimitHook
  /** preHandler hook for login: 429 while the account is held after failures in a row (see login-backoff.ts). */
  accountHold(): LimitHook
  /** After a right password (or a registration): ends the account's streak, remembers the client address. */
  signedIn(request: FastifyRequest, email: string): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    attemptLimits: AttemptLimits
  }
}

const accountKeyOf = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('base64url')
const emailOf = (request: FastifyRequest) => (request.body as { email: string }).email

/**
 * Limits sign-in and sign-up attempts per client address and per (account, client address),
 * and holds an account briefly after failed logins in a row; an exceeded limit is a 429
 * `rate_limited` with `Retry-After`. The client address is `request.ip`: the peer, or what a
 * trusted proxy (TRUSTED_PROXIES, the web servers) says in X-Forwarded-For. Counters live in
 * PostgreSQL (shared by replicas).
 */
export const attemptLimitsPlugin = fp(
  async function attemptLimits(app: FastifyInstance, opts: { pool: pg.Pool; limits: RateLimitConfig }) {
    await app.register(rateLimit, { global: false, store: pgRateLimitStore(opts.pool) })
    const backoff = loginBackoff(opts.pool, opts.limits.backoff, opts.limits.windowMs)

    const limiter = (max: number, keyOf: (request: FastifyRequest) => string): LimitHook =>
      limitHook(app, { max, timeWindow: opts.limits.windowMs, keyGenerator: keyOf }, 'attempts')

    app.decorate('attemptLimits', {
      perIp: (action) => limiter(opts.limits.perIp, (request) => `${action}:ip:${clientAddressKey(request.ip)}`),
      perAccount: (action) =>
        limiter(opts.limits.perAccount, (request) => `${action}:account:${accountKeyOf(emailOf(request))}:ip:${clientAddressKey(request.ip)}`),
      accountHold: () =>
        async function hold(request, reply) {
          const wait = await backoff.attempt(accountKeyOf(emailOf(request)), clientAddressKey(request.ip))
          if (wait > 0) throw rateLimited(reply, wait, 'attempts')
        },
      signedIn: (request, email) => backoff.succeeded(accountKeyOf(email), clientAddressKey(request.ip)),
    } satisfies AttemptLimits)
  },
  { name: 'auth-attempt-limits' },
)
