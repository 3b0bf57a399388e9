import { redirect } from '@sveltejs/kit'
import { REFRESH_COOKIE, clearAuthCookies } from '$lib/server/auth-cookies.ts'
import { getServices } from '$lib/server/services.ts'
import type { Actions, PageServerLoad } from './$types'

// Logging out changes state, so it is a POST (the header's button); a GET just offers the button.
export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/login')
}

export const actions: Actions = {
  default: async ({ cookies, url }) => {
    const refreshToken = cookies.get(REFRESH_COOKIE)
    clearAuthCookies(cookies, url.protocol === 'https:')
    if (refreshToken) {
      // Revokes the whole sign-in; if auth-service is down the cookies are gone anyway.
      await getServices().auth.logout(refreshToken).catch(() => undefined)
    }
    redirect(303, '/login')
  },
}
