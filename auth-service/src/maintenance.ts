import type { Queryable } from './db/pool.ts'
import { purgeLoginBackoff } from './users/login-backoff.ts'

/** How long published outbox rows are kept (for inspection) before they are deleted. */
const PUBLISHED_EVENTS_KEPT_DAYS = 7

export interface Purged {
  rateLimitCounters: number
  publishedEvents: number
  refreshTokenFamilies: number
  loginBackoff: number
}

/**
 * Deletes what can no longer matter: finished rate-limit windows, outbox rows published long
 * ago, and failure streaks and sign-in addresses long past, and sign-ins whose every refresh token has expired (their tokens go with them).
 */
export async function purgeExpired(db: Queryable): Promise<Purged> {
  const counters = await db.query('DELETE FROM rate_limit_counters WHERE window_ends_at < now()')
  const events = await db.query(
    'DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)',
    [PUBLISHED_EVENTS_KEPT_DAYS],
  )
  const families = await db.query(
    `DELETE FROM refresh_token_families f
      WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id AND t.expires_at > now())`,
  )
  const loginBackoff = await purgeLoginBackoff(db)
  return {
    loginBackoff,
    rateLimitCounters: counters.rowCount ?? 0,
    publishedEvents: events.rowCount ?? 0,
    refreshTokenFamilies: families.rowCount ?? 0,
  }
}
