import { createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { AppError } from '@tandem/service-kit'
import { inTransaction, type Queryable } from '../db/pool.ts'

/** How refresh tokens of a sign-in are issued and rotated. */
export interface RefreshPolicy {
  ttlSeconds: number
  /** a sign-in (token family) cannot be refreshed past this age, however often it rotates */
  signInMaxAgeSeconds: number
  /** a rotated token presented again this soon gets the same successor instead of revoking the sign-in */
  reuseWindowSeconds: number
  /** HMAC key that derives a token's successor from the token (see `successorKey`) */
  successorKey: Buffer
}

/**
 * The successor key, derived from the private signing key: every replica that signs with the
 * same key derives the same successors, and it is kept (and rotated) like that key.
 */
export function successorKey(signingKeyPem: string): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKeyPem, '', 'tandem refresh-token successor', 32))
}

/** 32 random bytes, base64url: what the client holds. Only its SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

/** The token that replaces `token`: the same on every call, unguessable without the key. */
function successorOf(token: string, key: Buffer): string {
  return createHmac('sha256', key).update(token).digest('base64url')
}

/** Starts a family (one sign-in) for `userId` and returns its first refresh token. */
export async function startRefreshTokenFamily(db: Queryable, userId: string, policy: RefreshPolicy): Promise<string> {
  const familyId = randomUUID()
  await db.query(
    'INSERT INTO refresh_token_families (id, user_id, ends_at) VALUES ($1, $2, now() + make_interval(secs => $3))',
    [familyId, userId, policy.signInMaxAgeSeconds],
  )
  const token = newRefreshToken()
  await insertToken(db, token, familyId, policy.ttlSeconds)
  return token
}

/** A token expires after its TTL, and never after its sign-in ends. */
async function insertToken(db: Queryable, token: string, familyId: string, ttlSeconds: number): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, expires_at)
     SELECT $1, id, least(now() + make_interval(secs => $3), ends_at) FROM refresh_token_families WHERE id = $2`,
    [hashRefreshToken(token), familyId, ttlSeconds],
  )
}

export interface Rotation {
  user: { id: string; displayName: string }
  refreshToken: string
}

interface PresentedToken {
  familyId: string
  userId: string
  displayName: string
  used: boolean
  usedRecently: boolean
  expired: boolean
  revoked: boolean
  ended: boolean
}

const selectToken = `
  SELECT t.family_id AS "familyId", f.user_id AS "userId", u.display_name AS "displayName",
         t.used_at IS NOT NULL AS used, t.used_at > clock_timestamp() - make_interval(secs => $2) AS "usedRecently",
         t.expires_at <= now() AS expired, f.revoked_at IS NOT NULL AS revoked, f.ends_at <= now() AS ended
    FROM refresh_tokens t
    JOIN refresh_token_families f ON f.id = t.family_id
    JOIN users u ON u.id = f.user_id
   WHERE t.token_hash = $1
     FOR UPDATE OF t, f`

const reused = () => new AppError(401, 'refresh_token_reused', 'refresh token was already used; sign in again')

/**
 * Exchanges a refresh token for the next one in its family. Presented again within the reuse
 * window (two web servers refreshing one cookie at once), it gets the same successor, so both
 * set the same cookie. Presented again later, it is a sign that it leaked: the whole family is
 * revoked (committed) and the caller gets 401 `refresh_token_reused`, so neither the thief nor
 * the owner can continue that sign-in. A family past its end is refused with `sign_in_expired`.
 */
export async function rotateRefreshToken(pool: pg.Pool, presented: string, policy: RefreshPolicy): Promise<Rotation> {
  const hash = hashRefreshToken(presented)
  const outcome = await inTransaction(pool, async (client): Promise<Rotation | AppError> => {
    // Locking the family row serialises every refresh and logout of one sign-in. "Recently" is
    // measured with clock_timestamp(), the time after the lock was granted: now() is when this
    // transaction began, which can be earlier than the used_at of a rotation that won the lock.
    const { rows } = await client.query<PresentedToken>(selectToken, [hash, policy.reuseWindowSeconds])
    const token = rows[0]
    if (!token) return new AppError(401, 'invalid_refresh_token', 'refresh token is not valid')
    if (token.used && !(token.usedRecently && !token.revoked)) {
      await revokeFamily(client, token.familyId, 'reuse')
      return reused()
    }
    if (token.revoked) return new AppError(401, 'refresh_token_revoked', 'this sign-in has ended; sign in again')
    if (token.ended) return new AppError(401, 'sign_in_expired', 'this sign-in has reached its maximum age; sign in again')
    if (token.expired && !token.used) return new AppError(401, 'refresh_token_expired', 'refresh token has expired; sign in again')
    const user = { id: token.userId, displayName: token.displayName }
    if (token.used) {
      const successor = await recentSuccessor(client, presented, token.familyId, policy)
      return successor ? { user, refreshToken: successor } : reused()
    }
    await client.query('UPDATE refresh_tokens SET used_at = clock_timestamp() WHERE token_hash = $1', [hash])
    const refreshToken = successorOf(presented, policy.successorKey)
    await insertToken(client, refreshToken, token.familyId, policy.ttlSeconds)
    return { user, refreshToken }
  })
  if (outcome instanceof AppError) throw outcome
  return outcome
}

/** Longest chain of rotations within one reuse window that a replay follows. */
const MAX_REPLAYED_ROTATIONS = 8

/**
 * The live successor of a token used within the reuse window: its successor, or (when that was
 * rotated too, within the window) the successor's successor, and so on. Undefined when the
 * chain leaves the window or the derived token is not in the family (the signing key changed).
 */
async function recentSuccessor(client: Queryable, used: string, familyId: string, policy: RefreshPolicy): Promise<string | undefined> {
  let token = used
  for (let step = 0; step < MAX_REPLAYED_ROTATIONS; step++) {
    token = successorOf(token, policy.successorKey)
    const { rows } = await client.query<PresentedToken>(selectToken, [hashRefreshToken(token), policy.reuseWindowSeconds])
    const next = rows[0]
    if (!next || next.familyId !== familyId || next.expired) return undefined
    if (!next.used) return token
    if (!next.usedRecently) return undefined
  }
  return undefined
}

/** Ends the sign-in a refresh token belongs to. Unknown or already revoked tokens are ignored. */
export async function revokeFamilyOf(db: Queryable, presented: string): Promise<void> {
  await db.query(
    `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'logout'
      WHERE id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL`,
    [hashRefreshToken(presented)],
  )
}

async function revokeFamily(db: Queryable, familyId: string, reason: 'logout' | 'reuse'): Promise<void> {
  await db.query(
    'UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [familyId, reason],
  )
}
