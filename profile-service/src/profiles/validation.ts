import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors'
import { ProfileChangesSchema, charCount } from '@tandem/contracts'
import { AppError } from '@tandem/service-kit'
import { PROFILE_LIMITS, type ProfileChanges } from './profile.ts'

/** C0/C1 controls, unpaired surrogates, line/paragraph separators. */
const forbiddenInName = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u
/** As above, but a bio may span lines. Bidi overrides stay allowed for right-to-left writers. */
const forbiddenInBio = /[\p{Cs}\u2028\u2029]|(?![\n])\p{Cc}/u

const changesShape = TypeCompiler.Compile(ProfileChangesSchema)

function invalid(message: string): AppError {
  return new AppError(400, 'validation_failed', message)
}

/** The stored form of a display name, or an error message saying what is wrong with it. */
export function normalizeDisplayName(raw: string): { value: string } | { error: string } {
  const value = raw.normalize('NFC').trim()
  if (forbiddenInName.test(value)) return { error: 'displayName must not contain control characters' }
  const length = charCount(value)
  if (length < 1 || length > PROFILE_LIMITS.displayNameMaxChars) {
    return { error: `displayName must be 1 to ${PROFILE_LIMITS.displayNameMaxChars} characters after trimming` }
  }
  return { value }
}

function normalizeBio(raw: string): string {
  const bio = raw.normalize('NFC').replaceAll('\r\n', '\n').trim()
  if (forbiddenInBio.test(bio)) throw invalid('bio must not contain control characters other than line breaks')
  if (charCount(bio) > PROFILE_LIMITS.bioMaxChars) {
    throw invalid(`bio must be at most ${PROFILE_LIMITS.bioMaxChars} characters`)
  }
  return bio
}

/** What to say when a field does not have its schema's type (or pattern). */
const wrongShape: Record<string, string> = {
  '': 'the body must be a JSON object',
  displayName: 'displayName must be a string',
  bio: 'bio must be a string',
  avatarColor: 'avatarColor must be a colour like #1a2b3c',
  preferences: 'preferences must be an object',
}

/** `/preferences/autoSync` → `preferences.autoSync` (JSON pointer escapes undone). */
function fieldAt(pointer: string): string {
  return pointer.split('/').slice(1).map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~')).join('.')
}

function shapeMessage(error: ValueError): string {
  const field = fieldAt(error.path)
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return `unknown field ${field}`
  if (error.type === ValueErrorType.ObjectMinProperties) return `send at least one of ${Object.keys(ProfileChangesSchema.properties).join(', ')}`
  return wrongShape[field] ?? `${field} must be true or false`
}

/**
 * Validates the body of `PATCH /v1/profiles/me` against ProfileChangesSchema, then normalises
 * the text fields and checks their limits. Throws a 400 `validation_failed` naming the first bad
 * field; unknown fields are refused rather than ignored, so a typo never looks saved.
 */
export function parseProfileChanges(body: unknown): ProfileChanges {
  if (!changesShape.Check(body)) {
    const error = changesShape.Errors(body).First()
    throw invalid(error ? shapeMessage(error) : 'the body is invalid')
  }
  const changes: ProfileChanges = {}
  if (body.displayName !== undefined) {
    const name = normalizeDisplayName(body.displayName)
    if ('error' in name) throw invalid(name.error)
    changes.displayName = name.value
  }
  if (body.bio !== undefined) changes.bio = normalizeBio(body.bio)
  if (body.avatarColor !== undefined) changes.avatarColor = body.avatarColor.toLowerCase()
  if (body.preferences !== undefined) changes.preferences = { ...body.preferences }
  return changes
}
