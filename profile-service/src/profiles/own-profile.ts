import type { AccessTokenClaims } from '@tandem/contracts'
import { defaultProfile } from './default-profile.ts'
import type { Profile } from './profile.ts'
import type { ProfileStore } from './profile-store.ts'

/**
 * The signed-in user's profile. A user who opens their profile before the `user.registered`
 * event has been processed gets the same default profile the event would create (from the
 * token's `name`), instead of a 404; the event then finds it present and changes nothing.
 */
export async function ownProfile(store: ProfileStore, user: AccessTokenClaims, now: Date): Promise<Profile> {
  const existing = await store.findById(user.sub)
  if (existing) return existing
  await store.createIfAbsent(defaultProfile({ userId: user.sub, displayName: user.name ?? '' }, now))
  const created = await store.findById(user.sub)
  if (!created) throw new Error(`profile of ${user.sub} vanished right after it was created`)
  return created
}
