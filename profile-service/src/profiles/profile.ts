import type { ProfileView } from '@tandem/contracts'

// The wire types live in @tandem/contracts; the service's modules take them from here.
export { DEFAULT_PREFERENCES, PROFILE_LIMITS, type Preferences, type ProfileChanges, type ProfileView } from '@tandem/contracts'

/** A stored profile: the wire form, with `updatedAt` as a Date. */
export type Profile = Omit<ProfileView, 'updatedAt'> & { updatedAt: Date }

export function profileView(p: Profile): ProfileView {
  return {
    userId: p.userId,
    displayName: p.displayName,
    bio: p.bio,
    avatarColor: p.avatarColor,
    preferences: { ...p.preferences },
    version: p.version,
    updatedAt: p.updatedAt.toISOString(),
  }
}

/** User ids as auth-service issues them (UUIDs), with room for other opaque ids. */
export const userIdPattern = /^[A-Za-z0-9_-]{1,64}$/
