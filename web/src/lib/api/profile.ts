import { requestJson, type ServiceOptions } from './http.ts'

/** profile-service (DESIGN.md §3). */
export interface Preferences {
  /** follow the room's playback (sync corrections on) */
  autoSync: boolean
  /** show the video moment next to each chat message */
  chatTimestamps: boolean
}

export interface Profile {
  userId: string
  displayName: string
  bio: string
  /** `#rrggbb` */
  avatarColor: string
  preferences: Preferences
  /** grows by one with every edit; sent back as If-Match to refuse lost updates */
  version: number
  updatedAt: string
}

export interface ProfileChanges {
  displayName?: string
  bio?: string
  avatarColor?: string
  preferences?: Partial<Preferences>
}

export const PROFILE_LIMITS = { displayNameMaxChars: 40, bioMaxChars: 280, batchMaxIds: 100 } as const
export const AVATAR_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/

export interface ProfileClient {
  get(userId: string, token: string): Promise<Profile>
  mine(token: string): Promise<Profile>
  /** With `ifMatchVersion`, the edit fails with 412 `precondition_failed` if someone edited since. */
  updateMine(token: string, changes: ProfileChanges, ifMatchVersion?: number): Promise<Profile>
  /** Profiles of up to 100 users; unknown ids are left out. */
  many(userIds: readonly string[], token: string): Promise<Profile[]>
}

export function profileClient(service: ServiceOptions): ProfileClient {
  return {
    get: async (userId, token) =>
      (await requestJson<Profile>(service, 'GET', `/v1/profiles/${encodeURIComponent(userId)}`, { token })).body,
    mine: async (token) => (await requestJson<Profile>(service, 'GET', '/v1/profiles/me', { token })).body,
    updateMine: async (token, changes, ifMatchVersion) =>
      (
        await requestJson<Profile>(service, 'PATCH', '/v1/profiles/me', {
          token,
          body: changes,
          ...(ifMatchVersion === undefined ? {} : { headers: { 'if-match': `"${ifMatchVersion}"` } }),
        })
      ).body,
    many: async (userIds, token) => {
      if (userIds.length === 0) return []
      const ids = encodeURIComponent(userIds.join(','))
      return (await requestJson<{ profiles: Profile[] }>(service, 'GET', `/v1/profiles?ids=${ids}`, { token })).body.profiles
    },
  }
}
