import { getServices } from '$lib/server/services.ts'
import type { LayoutServerLoad } from './$types'

/**
 * The signed-in user for the header. The name in the access token is the one at sign-in; the
 * profile has the current one (and the colour), so it wins when profile-service answers.
 */
export const load: LayoutServerLoad = async ({ locals, depends }) => {
  depends('tandem:me')
  if (!locals.user || !locals.accessToken) return { user: null }
  const profile = await getServices()
    .profiles.mine(locals.accessToken)
    .catch(() => undefined)
  return {
    user: {
      id: locals.user.id,
      displayName: profile?.displayName ?? locals.user.displayName,
      avatarColor: profile?.avatarColor ?? null,
    },
  }
}
