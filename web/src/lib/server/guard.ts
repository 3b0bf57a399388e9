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

/** Only same-site paths are followed after login, never another origin. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/lobby'
}
