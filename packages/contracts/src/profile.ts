/** Wire types of profile-service's REST API. */

/** Per-user settings of the watch-party UI. Only these keys exist. */
export interface Preferences {
  /** Follow the room's playback (sync corrections on); off lets a viewer drift on purpose. */
  autoSync: boolean
  /** Show the video moment next to each chat message. */
  chatTimestamps: boolean
}

export const DEFAULT_PREFERENCES: Preferences = { autoSync: true, chatTimestamps: true }

/** A profile as `GET /v1/profiles/…` and `PATCH /v1/profiles/me` send it. */
export interface ProfileView {
  userId: string
  displayName: string
  bio: string
  /** `#rrggbb`, lower case */
  avatarColor: string
  preferences: Preferences
  /** Starts at 1 and grows by one with every edit; the ETag is `"<version>"`. */
  version: number
  /** ISO 8601 */
  updatedAt: string
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

export const AVATAR_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/
