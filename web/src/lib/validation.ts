import { SESSION_LIMITS, charCount } from '@tandem/contracts'
import { PASSWORD_LIMITS } from './api/auth.ts'
import { AVATAR_COLOR_PATTERN, PROFILE_LIMITS } from './api/profile.ts'

/** Form checks run on the web server before a service is called, so messages can be inline. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function checkLength(text: string, maxChars: number): string | undefined {
  return charCount(text) > maxChars ? `Keep it to ${maxChars} characters.` : undefined
}

export function hasErrors(errors: FieldErrors<string>): boolean {
  return Object.keys(errors).length > 0
}

export function checkEmail(email: string): string | undefined {
  if (email === '') return 'Enter your e-mail address.'
  if (email.length > 254 || !EMAIL.test(email)) return 'This does not look like an e-mail address.'
  return undefined
}

export function checkPassword(password: string): string | undefined {
  if (password === '') return 'Enter a password.'
  if (password.length < PASSWORD_LIMITS.min) return `Use at least ${PASSWORD_LIMITS.min} characters.`
  if (password.length > PASSWORD_LIMITS.max) return `Use at most ${PASSWORD_LIMITS.max} characters.`
  return undefined
}

export function checkDisplayName(name: string): string | undefined {
  if (name === '') return 'Enter the name others will see.'
  const tooLong = checkLength(name, PROFILE_LIMITS.displayNameMaxChars)
  if (tooLong) return tooLong
  if (/\p{Cc}/u.test(name)) return 'Control characters are not allowed.'
  return undefined
}

function compact<F extends string>(errors: Record<F, string | undefined>): FieldErrors<F> {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v !== undefined)) as FieldErrors<F>
}

export function checkRegistration(input: { email: string; password: string; displayName: string }) {
  return compact({
    email: checkEmail(input.email),
    password: checkPassword(input.password),
    displayName: checkDisplayName(input.displayName),
  })
}

export function checkLogin(input: { email: string; password: string }) {
  return compact({
    email: checkEmail(input.email),
    password: input.password === '' ? 'Enter your password.' : undefined,
  })
}

export function checkProfile(input: { displayName: string; bio: string; avatarColor: string }) {
  return compact({
    displayName: checkDisplayName(input.displayName),
    bio: checkLength(input.bio, PROFILE_LIMITS.bioMaxChars),
    avatarColor: AVATAR_COLOR_PATTERN.test(input.avatarColor) ? undefined : 'Pick a colour like #3b82f6.',
  })
}

export function checkNewSession(input: { title: string; videoUrl: string }) {
  let videoUrl: string | undefined
  try {
    const url = new URL(input.videoUrl)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') videoUrl = 'Use an http:// or https:// address.'
  } catch {
    videoUrl = input.videoUrl === '' ? 'Enter the address of a video.' : 'This is not a web address.'
  }
  return compact({
    title: input.title === '' ? 'Give the session a title.' : checkLength(input.title, SESSION_LIMITS.titleMaxChars),
    videoUrl,
  })
}
