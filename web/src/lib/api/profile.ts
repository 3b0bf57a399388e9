import { requestJson, type ServiceOptions } from './http.ts'
import type { ProfileChanges, ProfileView } from '@tandem/contracts'

export { AVATAR_COLOR_PATTERN, PROFILE_LIMITS, type Preferences, type ProfileChanges } from '@tandem/contracts'
/** A profile as profile-service sends it. */
export type Profile = ProfileView

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
