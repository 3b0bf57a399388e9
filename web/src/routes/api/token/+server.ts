import { json } from '@sveltejs/kit'
import type { RequestHandler } from './$types'

/**
 * A short-lived access token for the session socket (`hello{token}`), for a watch page whose
 * token expired or was refused. The hook has already refreshed it if it was about to expire.
 * Same-origin only: the response carries no CORS headers, so other sites cannot read it.
 */
export const GET: RequestHandler = ({ locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' })
  if (!locals.user || !locals.accessToken) {
    return json({ error: { code: 'unauthenticated', message: 'log in again' } }, { status: 401 })
  }
  return json({ token: locals.accessToken, expiresAt: locals.accessTokenExpiresAt })
}
