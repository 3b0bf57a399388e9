import { error, redirect } from '@sveltejs/kit'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { user, accessToken } = requireUser(locals, url)
  if (params.userId === user.id) redirect(303, '/profile')
  try {
    return { profile: await getServices().profiles.get(params.userId, accessToken) }
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) error(404, 'There is no such profile.')
    error(503, describeError(e))
  }
}
