import type { Preferences, ProfileView } from '@tandem/contracts'

// The wire types live in @tandem/contracts; the service's modules take them from here.
export { DEFAULT_PREFERENCES, PROFILE_LIMITS, type Preferences, type ProfileChanges, type ProfileView } from '@tandem/contracts'

export interface Profile {
  userId: string
  displayName: string
  bio: string
  /** `#rrggbb`, lower case */
  avatarColor: string
  preferences: Preferences
  /** Starts at 1 and grows by one with every edit; the ETag is `"<version>"`. */
  version: number
  updatedAt: Date
}

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
