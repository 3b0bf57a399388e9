import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { AppError } from '@tandem/service-kit'
import { inTransaction, type Queryable } from '../db/pool.ts'

/** 32 random bytes, base64url: what the client holds. Only its SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}

/** Starts a family (one sign-in) for `userId` and returns its first refresh token. */
export async function startRefreshTokenFamily(db: Queryable, userId: string, ttlSeconds: number): Promise<string> {
  const familyId = randomUUID()
  await db.query('INSERT INTO refresh_token_families (id, user_id) VALUES ($1, $2)', [familyId, userId])
  return insertToken(db, familyId, ttlSeconds)
}

async function insertToken(db: Queryable, familyId: string, ttlSeconds: number): Promise<string> {
  const token = newRefreshToken()
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [hashRefreshToken(token), familyId, ttlSeconds],
  )
  return token
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
  expired: boolean
  revoked: boolean
}

/**
 * Exchanges a refresh token for the next one in its family. A token that was already exchanged
 * is a sign that it leaked: the whole family is revoked (committed) and the caller gets 401
 * `refresh_token_reused`, so neither the thief nor the owner can continue that sign-in.
 */
export async function rotateRefreshToken(pool: pg.Pool, presented: string, ttlSeconds: number): Promise<Rotation> {
  const hash = hashRefreshToken(presented)
  const outcome = await inTransaction(pool, async (client): Promise<Rotation | AppError> => {
    // Locking the family row serialises every refresh and logout of one sign-in.
    const { rows } = await client.query<PresentedToken>(
      `SELECT t.family_id AS "familyId", f.user_id AS "userId", u.display_name AS "displayName",
              t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired, f.revoked_at IS NOT NULL AS revoked
         FROM refresh_tokens t
         JOIN refresh_token_families f ON f.id = t.family_id
         JOIN users u ON u.id = f.user_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t, f`,
      [hash],
    )
    const token = rows[0]
    if (!token) return new AppError(401, 'invalid_refresh_token', 'refresh token is not valid')
    if (token.used) {
      await revokeFamily(client, token.familyId, 'reuse')
      return new AppError(401, 'refresh_token_reused', 'refresh token was already used; sign in again')
    }
    if (token.revoked) return new AppError(401, 'refresh_token_revoked', 'this sign-in has ended; sign in again')
    if (token.expired) return new AppError(401, 'refresh_token_expired', 'refresh token has expired; sign in again')
    await client.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [hash])
    const refreshToken = await insertToken(client, token.familyId, ttlSeconds)
    return { user: { id: token.userId, displayName: token.displayName }, refreshToken }
  })
  if (outcome instanceof AppError) throw outcome
  return outcome
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
