import { redirect } from '@sveltejs/kit'
import type { SignedInUser } from './access-token.ts'

export interface SignedIn {
  user: SignedInUser
  accessToken: string
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(locals: App.Locals, url: URL): SignedIn {
  if (locals.user && locals.accessToken) return { user: locals.user, accessToken: locals.accessToken }
  redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`)
}

/** `next` is resolved against this stand-in origin; only what stays on it is one of ours. */
const OURS = 'http://tandem.invalid'
const MAX_NEXT_CHARS = 2048
const ID = '[A-Za-z0-9_-]{1,64}'
/** The pages worth coming back to after signing in (the login and register pages are not). */
const RETURN_PATHS = new RegExp(`^/(?:lobby|profile(?:/${ID})?|sessions/${ID})$`)
const FALLBACK = '/lobby'

/**
 * Where to go after signing in: `next` if it is one of our pages, else the lobby. `next` is
 * parsed as a browser would parse it (dropping tabs and newlines, reading a backslash as `/`),
 * and what comes back is the parsed path and query written out again: never another origin,
 * never a raw control character in the Location header.
 */
export function safeNext(next: string | null): string {
  if (!next || next.length > MAX_NEXT_CHARS || !next.startsWith('/')) return FALLBACK
  let url: URL
  try {
    url = new URL(next, OURS)
  } catch {
    return FALLBACK
  }
  if (url.origin !== OURS || !RETURN_PATHS.test(url.pathname)) return FALLBACK
  return url.pathname + url.search
}
