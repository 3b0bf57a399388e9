import type pg from 'pg'
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'

// One round trip: start a window, count into the current one, or restart an expired one.
const incrementSql = `
  INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at)
  VALUES ($1, 1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.window_ends_at <= clock_timestamp() THEN 1 ELSE c.hits + 1 END,
    window_ends_at = CASE WHEN c.window_ends_at <= clock_timestamp() THEN excluded.window_ends_at ELSE c.window_ends_at END
  RETURNING hits, greatest(0, ceil(extract(epoch FROM c.window_ends_at - clock_timestamp()) * 1000))::int AS ttl_ms`

/**
 * A `@fastify/rate-limit` store keeping fixed-window counters in PostgreSQL, so every replica
 * of auth-service counts against the same limits and a restart does not reset them.
 */
export function pgRateLimitStore(pool: pg.Pool): FastifyRateLimitStoreCtor {
  class PgRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      pool.query<{ hits: number; ttl_ms: number }>(incrementSql, [key, timeWindow]).then(
        ({ rows }) => callback(null, { current: rows[0]!.hits, ttl: rows[0]!.ttl_ms }),
        (err: Error) => callback(err),
      )
    }

    child(): FastifyRateLimitStore {
      return new PgRateLimitStore()
    }
  }
  return PgRateLimitStore
}
