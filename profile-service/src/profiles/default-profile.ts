import type { UserRegistered } from '@tandem/contracts'
import { avatarColorFor } from './avatar-color.ts'
import { PROFILE_LIMITS, DEFAULT_PREFERENCES, type Profile } from './profile.ts'
import { normalizeDisplayName } from './validation.ts'

const controlCharacters = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu

/**
 * The profile a new user starts with. The name comes from registration; auth-service validates
 * it already, but a name this service would refuse is cleaned up rather than dropping the event.
 */
export function defaultProfile(event: Pick<UserRegistered, 'userId' | 'displayName'>, now: Date): Profile {
  return {
    userId: event.userId,
    displayName: usableDisplayName(event.displayName),
    bio: '',
    avatarColor: avatarColorFor(event.userId),
    preferences: { ...DEFAULT_PREFERENCES },
    version: 1,
    updatedAt: now,
  }
}

function usableDisplayName(raw: string): string {
  const checked = normalizeDisplayName(raw)
  if ('value' in checked) return checked.value
  const cleaned = Array.from(raw.normalize('NFC').replace(controlCharacters, ' ').trim())
    .slice(0, PROFILE_LIMITS.displayNameMaxChars)
    .join('')
    .trim()
  return cleaned || 'Viewer'
}
