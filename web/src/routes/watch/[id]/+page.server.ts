import { error } from '@sveltejs/kit'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { accessToken } = requireUser(locals, url)
  const { sessions, config } = getServices()
  try {
    const session = await sessions.get(params.id, accessToken)
    return { session, sessionUrl: config.publicSessionUrl }
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) error(404, 'There is no watch session with this id.')
    error(503, describeError(e))
  }
}
