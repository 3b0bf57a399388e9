import { AppError } from '@tandem/service-kit'
import { PROFILE_LIMITS, type Preferences, type ProfileChanges } from './profile.ts'

const preferenceKeys: ReadonlyArray<keyof Preferences> = ['autoSync', 'chatTimestamps']
const changeKeys = ['displayName', 'bio', 'avatarColor', 'preferences'] as const

/** C0/C1 controls, unpaired surrogates, line/paragraph separators. */
const forbiddenInName = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u
/** As above, but a bio may span lines. Bidi overrides stay allowed for right-to-left writers. */
const forbiddenInBio = /[\p{Cs}\u2028\u2029]|(?![\n])\p{Cc}/u
const hexColor = /^#[0-9a-fA-F]{6}$/

function invalid(message: string): AppError {
  return new AppError(400, 'validation_failed', message)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function codePoints(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** The stored form of a display name, or an error message saying what is wrong with it. */
export function normalizeDisplayName(raw: string): { value: string } | { error: string } {
  const value = raw.normalize('NFC').trim()
  if (forbiddenInName.test(value)) return { error: 'displayName must not contain control characters' }
  const length = codePoints(value)
  if (length < 1 || length > PROFILE_LIMITS.displayNameMaxChars) {
    return { error: `displayName must be 1 to ${PROFILE_LIMITS.displayNameMaxChars} characters after trimming` }
  }
  return { value }
}

function parseDisplayName(value: unknown): string {
  if (typeof value !== 'string') throw invalid('displayName must be a string')
  const result = normalizeDisplayName(value)
  if ('error' in result) throw invalid(result.error)
  return result.value
}

function parseBio(value: unknown): string {
  if (typeof value !== 'string') throw invalid('bio must be a string')
  const bio = value.normalize('NFC').replaceAll('\r\n', '\n').trim()
  if (forbiddenInBio.test(bio)) throw invalid('bio must not contain control characters other than line breaks')
  if (codePoints(bio) > PROFILE_LIMITS.bioMaxChars) {
    throw invalid(`bio must be at most ${PROFILE_LIMITS.bioMaxChars} characters`)
  }
  return bio
}

function parseAvatarColor(value: unknown): string {
  if (typeof value !== 'string' || !hexColor.test(value)) throw invalid('avatarColor must be a colour like #1a2b3c')
  return value.toLowerCase()
}

function parsePreferences(value: unknown): Partial<Preferences> {
  if (!isPlainObject(value)) throw invalid('preferences must be an object')
  const result: Partial<Preferences> = {}
  for (const [key, v] of Object.entries(value)) {
    if (!(preferenceKeys as readonly string[]).includes(key)) throw invalid(`unknown field preferences.${key}`)
    if (typeof v !== 'boolean') throw invalid(`preferences.${key} must be true or false`)
    result[key as keyof Preferences] = v
  }
  return result
}

/**
 * Validates the body of `PATCH /v1/profiles/me`. Throws a 400 `validation_failed` naming the
 * first bad field; unknown fields are refused rather than ignored, so a typo never looks saved.
 */
export function parseProfileChanges(body: unknown): ProfileChanges {
  if (!isPlainObject(body)) throw invalid('the body must be a JSON object')
  for (const key of Object.keys(body)) {
    if (!(changeKeys as readonly string[]).includes(key)) throw invalid(`unknown field ${key}`)
  }
  const changes: ProfileChanges = {}
  if (body.displayName !== undefined) changes.displayName = parseDisplayName(body.displayName)
  if (body.bio !== undefined) changes.bio = parseBio(body.bio)
  if (body.avatarColor !== undefined) changes.avatarColor = parseAvatarColor(body.avatarColor)
  if (body.preferences !== undefined) changes.preferences = parsePreferences(body.preferences)
  if (Object.keys(changes).length === 0) {
    throw invalid(`send at least one of ${changeKeys.join(', ')}`)
  }
  return changes
}
