import { json } from '@sveltejs/kit'
import { ApiError } from '$lib/api/http.ts'
import { PROFILE_LIMITS } from '$lib/api/profile.ts'
import { personFrom } from '$lib/live/profile-directory.ts'
import { getServices } from '$lib/server/services.ts'
import type { RequestHandler } from './$types'

const ID = /^[A-Za-z0-9_-]{1,64}$/

/** Names and colours of up to 100 users (`?ids=a,b`), for the watch page's viewers and chat. */
export const GET: RequestHandler = async ({ locals, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'private, no-cache' })
  if (!locals.user || !locals.accessToken) {
    return json({ error: { code: 'unauthenticated', message: 'log in again' } }, { status: 401 })
  }
  const ids = [...new Set((url.searchParams.get('ids') ?? '').split(',').filter(Boolean))]
  if (ids.length === 0 || ids.length > PROFILE_LIMITS.batchMaxIds || !ids.every((id) => ID.test(id))) {
    return json(
      { error: { code: 'validation_failed', message: `ids: 1–${PROFILE_LIMITS.batchMaxIds} user ids, comma-separated` } },
      { status: 400 },
    )
  }
  try {
    const profiles = await getServices().profiles.many(ids, locals.accessToken)
    return json({ people: profiles.map(personFrom) })
  } catch (e) {
    const status = e instanceof ApiError && e.status < 500 ? e.status : 503
    return json({ error: { code: e instanceof ApiError ? e.code : 'unavailable', message: 'profiles are not available' } }, { status })
  }
}
