import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit'
import { sequence } from '@sveltejs/kit/hooks'
import { ApiError } from '$lib/api/http.ts'
import { ACCESS_COOKIE, REFRESH_COOKIE, clearAuthCookies, setAuthCookies } from '$lib/server/auth-cookies.ts'
import { mediaConnectSources, sessionServiceSources, withConnectSources } from '$lib/server/content-security-policy.ts'
import { getServices } from '$lib/server/services.ts'
import { requestIdOf, requestLogLine } from '$lib/server/request-id.ts'
import { REQUEST_ID_HEADER } from '@tandem/contracts'

/** Refresh a little before expiry, so a token handed to the page is still good for a while. */
const REFRESH_MARGIN_MS = 60_000

/**
 * Gives the request its id (the one it came with, when plain and short, else a fresh uuid): every
 * call to a service made for the request carries it (`services.ts`), the answer echoes it and the
 * request's log line names it.
 */
const identify: Handle = async ({ event, resolve }) => {
  const started = performance.now()
  const requestId = requestIdOf(event.request)
  event.locals.requestId = requestId
  const response = withHeader(await resolve(event), REQUEST_ID_HEADER, requestId)
  logRequest(event, requestId, response.status, started)
  return response
}

function logRequest(event: RequestEvent, requestId: string, status: number, started: number): void {
  console.log(requestLogLine({ requestId, method: event.request.method, path: event.url.pathname, status, ms: performance.now() - started }))
}

/** Sets a header, on a copy when the response's headers are immutable (one passed on from `fetch`). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value)
    return response
  } catch {
    const copy = new Response(response.body, response)
    copy.headers.set(name, value)
    return copy
  }
}

/**
 * Reads the access and refresh cookies: a valid access token sets `locals.user`; an expired or
 * soon-expiring one is replaced through the refresh token (new cookies are set); a refused refresh
 * token signs the user out. A page's Content-Security-Policy (svelte.config.js) gets
 * session-service's public address in its connect-src, for the session socket, and http(s)
 * addresses, for the watch page's HLS playlists, their segments and subtitles; it sends no
 * Referer to other origins: a page's address may hold an invite token (`?invite=`, or in `next=`),
 * and a session's video may be anywhere on the web.
 */
const authenticate: Handle = async ({ event, resolve }) => {
  event.locals.user = null
  event.locals.accessToken = null
  event.locals.accessTokenExpiresAt = null
  const { verifyAccess, refresher, config } = getServices()
  const secure = event.url.protocol === 'https:'
  const access = event.cookies.get(ACCESS_COOKIE)
  const refresh = event.cookies.get(REFRESH_COOKIE)

  const current = access ? await verifyAccess(access) : null
  if (current && access) {
    event.locals.user = current.user
    event.locals.accessToken = access
    event.locals.accessTokenExpiresAt = current.expiresAt
  }
  if (refresh && (!current || current.expiresAt - Date.now() < REFRESH_MARGIN_MS)) {
    try {
      const tokens = await refresher.refresh(refresh)
      const fresh = await verifyAccess(tokens.accessToken)
      if (fresh) {
        setAuthCookies(event.cookies, tokens, secure)
        event.locals.user = fresh.user
        event.locals.accessToken = tokens.accessToken
        event.locals.accessTokenExpiresAt = fresh.expiresAt
      }
    } catch (error) {
      // Refused: this sign-in is over. Unreachable: keep what is still valid and try next time.
      if (error instanceof ApiError && error.status === 401) {
        clearAuthCookies(event.cookies, secure)
        event.locals.user = null
        event.locals.accessToken = null
        event.locals.accessTokenExpiresAt = null
      }
    }
  } else if (access && !current) {
    clearAuthCookies(event.cookies, secure)
  }
  const response = await resolve(event)
  const policy = response.headers.get('content-security-policy')
  if (policy) {
    const sources = [...sessionServiceSources(config.publicSessionUrl), ...mediaConnectSources(event.url)]
    response.headers.set('content-security-policy', withConnectSources(policy, sources))
    response.headers.set('referrer-policy', 'same-origin')
  }
  return response
}

export const handle = sequence(identify, authenticate)

/**
 * An unexpected error: logged with the path only, since the query may hold an invite token (a
 * link's `?invite=`, or a login's `next=` carrying one); the page gets SvelteKit's plain message,
 * never the error itself.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  // a page that does not exist is no error of ours
  if (status !== 404) console.error(`${event.request.method} ${event.url.pathname} (request ${event.locals.requestId}):`, error)
  return { message }
}
