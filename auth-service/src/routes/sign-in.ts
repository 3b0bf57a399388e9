import type { SignedIn } from '@tandem/contracts'
import type { AuthContext } from '../context.ts'
import type { Queryable } from '../db/pool.ts'
import type { User } from '../users/user-repository.ts'
import { startRefreshTokenFamily } from '../tokens/refresh-tokens.ts'

/** Starts a sign-in for `user`: a new refresh-token family and an access token. */
export async function signIn(ctx: AuthContext, db: Queryable, user: User): Promise<SignedIn> {
  const refreshToken = await startRefreshTokenFamily(db, user.id, ctx.refresh)
  return { user, accessToken: ctx.accessTokens.sign(user), refreshToken, expiresIn: ctx.accessTokens.ttlSeconds }
}
