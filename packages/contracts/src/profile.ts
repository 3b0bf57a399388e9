/** Wire types of profile-service's REST API. */
import { Type, type Static } from '@sinclair/typebox'

export const PROFILE_LIMITS = {
  displayNameMaxChars: 40,
  bioMaxChars: 280,
  /** ids per batch read */
  batchMaxIds: 100,
} as const

export const AVATAR_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/

/** Per-user settings of the watch-party UI. Only these keys exist. */
export const PreferencesSchema = Type.Object(
  {
    autoSync: Type.Boolean({ description: "follow the room's playback (sync corrections on); off lets a viewer drift on purpose" }),
    chatTimestamps: Type.Boolean({ description: 'show the video moment next to each chat message' }),
  },
  { additionalProperties: false },
)
export type Preferences = Static<typeof PreferencesSchema>

export const DEFAULT_PREFERENCES: Preferences = { autoSync: true, chatTimestamps: true }

/** A profile as `GET /v1/profiles/…` and `PATCH /v1/profiles/me` send it. */
export const ProfileViewSchema = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  avatarColor: Type.String({ description: '`#rrggbb`, lower case' }),
  preferences: PreferencesSchema,
  version: Type.Integer({ description: 'starts at 1 and grows by one with every edit; the ETag is `"<version>"`' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type ProfileView = Static<typeof ProfileViewSchema>

/**
 * What one PATCH may change; absent keys stay as they are, preferences merge key by key. Names
 * and bios are trimmed and NFC-normalised before their limits (PROFILE_LIMITS, counted in
 * characters) are checked, so those limits are not in the schema.
 */
export const ProfileChangesSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ description: `1 to ${PROFILE_LIMITS.displayNameMaxChars} characters, no control characters` })),
    bio: Type.Optional(Type.String({ description: `at most ${PROFILE_LIMITS.bioMaxChars} characters; line breaks allowed` })),
    avatarColor: Type.Optional(Type.String({ pattern: AVATAR_COLOR_PATTERN.source, description: '`#rrggbb`' })),
    preferences: Type.Optional(Type.Partial(PreferencesSchema)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ProfileChanges = Static<typeof ProfileChangesSchema>

export const ProfileListResponseSchema = Type.Object({
  profiles: Type.Array(ProfileViewSchema, { description: 'in the order asked for; ids without a profile are left out' }),
})
export type ProfileListResponse = Static<typeof ProfileListResponseSchema>

export const UserIdParamsSchema = Type.Object({ userId: Type.String({ description: 'a user id' }) })
export type UserIdParams = Static<typeof UserIdParamsSchema>

export const ProfileIdsQuerySchema = Type.Object(
  { ids: Type.String({ maxLength: 8000, description: `comma-separated user ids, at most ${PROFILE_LIMITS.batchMaxIds}` }) },
  { additionalProperties: false },
)
export type ProfileIdsQuery = Static<typeof ProfileIdsQuerySchema>
