import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { LoginBackoffConfig } from '../config.ts'
import { inTransaction, type Queryable } from '../db/pool.ts'

/** How long an address that signed in to an account stays exempt from that account's hold. */
const KNOWN_ADDRESS_DAYS = 90

export interface LoginBackoff {
  /**
   * Counts a login attempt at `accountKey` from `addressKey` as a failure (until `succeeded`
   * says otherwise) and returns 0, or returns the seconds to wait while the account is held for
   * that address (nothing counted then). Atomic, so a parallel burst cannot slip past the hold.
   */
  attempt(accountKey: string, addressKey: string): Promise<number>
  /** A right password: the streak ends and the address is known to the account from now on. */
  succeeded(accountKey: string, addressKey: string): Promise<void>
}

interface Streak {
  failures: number
  stale: boolean
  wait_seconds: number
}

/**
 * Failed logins in a row on one account, from any address, hold the account for a wait that
 * doubles with each further failure up to `maxSeconds`. The hold does not apply to addresses
 * that signed in to the account before: whoever floods an account from elsewhere slows other
 * guessers down but cannot keep its owner out. The streak restarts after `windowMs` of quiet.
 */
export function loginBackoff(pool: pg.Pool, config: LoginBackoffConfig, windowMs: number): LoginBackoff {
  const holdSeconds = (failures: number): number =>
    failures < config.afterFailures ? 0 : Math.min(config.baseSeconds * 2 ** (failures - config.afterFailures), config.maxSeconds)

  return {
    async attempt(accountKey, addressKey) {
      const known = await isKnown(pool, knownKey(accountKey, addressKey))
      return inTransaction(pool, async (tx) => {
        await tx.query(
          `INSERT INTO login_failure_streaks (account_key, failures, last_failure_at) VALUES ($1, 0, clock_timestamp())
           ON CONFLICT (account_key) DO NOTHING`,
          [accountKey],
        )
        const { rows } = await tx.query<Streak>(
          `SELECT failures,
                  last_failure_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000) AS stale,
                  coalesce(greatest(0, ceil(extract(epoch FROM held_until - clock_timestamp()))), 0)::int AS wait_seconds
             FROM login_failure_streaks WHERE account_key = $1 FOR UPDATE`,
          [accountKey, windowMs],
        )
        const streak = rows[0]!
        if (!streak.stale && streak.wait_seconds > 0 && !known) return streak.wait_seconds
        const failures = streak.stale ? 1 : streak.failures + 1
        const hold = holdSeconds(failures)
        await tx.query(
          `UPDATE login_failure_streaks
              SET failures = $2, last_failure_at = clock_timestamp(),
                  held_until = CASE WHEN $3::int > 0 THEN clock_timestamp() + make_interval(secs => $3) ELSE held_until END
            WHERE account_key = $1`,
          [accountKey, failures, hold],
        )
        return 0
      })
    },

    async succeeded(accountKey, addressKey) {
      await pool.query('DELETE FROM login_failure_streaks WHERE account_key = $1', [accountKey])
      await rememberAddress(pool, accountKey, addressKey)
    },
  }
}

async function rememberAddress(db: Queryable, accountKey: string, addressKey: string): Promise<void> {
  await db.query(
    `INSERT INTO known_sign_in_addresses (key, last_signed_in) VALUES ($1, now())
     ON CONFLICT (key) DO UPDATE SET last_signed_in = now()`,
    [knownKey(accountKey, addressKey)],
  )
}

async function isKnown(db: Queryable, key: Buffer): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM known_sign_in_addresses WHERE key = $1 AND last_signed_in > now() - make_interval(days => $2)',
    [key, KNOWN_ADDRESS_DAYS],
  )
  return rows.length > 0
}

function knownKey(accountKey: string, addressKey: string): Buffer {
  return createHash('sha256').update(`${accountKey}\0${addressKey}`).digest()
}

/** Purging: streaks quiet for a day and addresses not seen for KNOWN_ADDRESS_DAYS. */
export async function purgeLoginBackoff(db: Queryable): Promise<number> {
  const streaks = await db.query(
    `DELETE FROM login_failure_streaks WHERE last_failure_at < now() - interval '1 day' AND (held_until IS NULL OR held_until < now())`,
  )
  const known = await db.query('DELETE FROM known_sign_in_addresses WHERE last_signed_in < now() - make_interval(days => $1)', [KNOWN_ADDRESS_DAYS])
  return (streaks.rowCount ?? 0) + (known.rowCount ?? 0)
}
