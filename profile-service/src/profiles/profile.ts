/** Per-user settings of the watch-party UI. Only these keys exist. */
export interface Preferences {
  /** Follow the room's playback (sync corrections on); off lets a viewer drift on purpose. */
  autoSync: boolean
  /** Show the video moment next to each chat message. */
  chatTimestamps: boolean
}

export const defaultPreferences: Preferences = { autoSync: true, chatTimestamps: true }

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

/** What one PATCH may change; absent keys stay as they are, preferences merge key by key. */
export interface ProfileChanges {
  displayName?: string
  bio?: string
  avatarColor?: string
  preferences?: Partial<Preferences>
}

export const PROFILE_LIMITS = {
  displayNameMaxChars: 40,
  bioMaxChars: 280,
  /** ids per batch read */
  batchMaxIds: 100,
} as const

/** The JSON form of a profile in HTTP responses. */
export interface ProfileView {
  userId: string
  displayName: string
  bio: string
  avatarColor: string
  preferences: Preferences
  version: number
  updatedAt: string
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
