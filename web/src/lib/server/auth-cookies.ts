import type { Cookies } from '@sveltejs/kit'
import type { Tokens } from '../api/auth.ts'

export const ACCESS_COOKIE = 'tandem_access'
export const REFRESH_COOKIE = 'tandem_refresh'
/** The refresh cookie outlives the browser session; auth-service decides when the token really expires. */
const REFRESH_COOKIE_MAX_AGE = 30 * 24 * 3600

/** httpOnly (no script reads the tokens), SameSite=Lax (no cross-site form posts carry them). */
function options(secure: boolean, maxAge: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge }
}

export function setAuthCookies(cookies: Cookies, tokens: Tokens, secure: boolean): void {
  cookies.set(ACCESS_COOKIE, tokens.accessToken, options(secure, tokens.expiresIn))
  cookies.set(REFRESH_COOKIE, tokens.refreshToken, options(secure, REFRESH_COOKIE_MAX_AGE))
}

export function clearAuthCookies(cookies: Cookies, secure: boolean): void {
  cookies.delete(ACCESS_COOKIE, options(secure, 0))
  cookies.delete(REFRESH_COOKIE, options(secure, 0))
}
