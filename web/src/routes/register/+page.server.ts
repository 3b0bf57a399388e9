import { fail, redirect } from '@sveltejs/kit'
import { describeError } from '$lib/api/messages.ts'
import { setAuthCookies } from '$lib/server/auth-cookies.ts'
import { safeNext } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import { checkRegistration, hasErrors } from '$lib/validation.ts'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')))
}

export const actions: Actions = {
  default: async ({ request, cookies, url, getClientAddress }) => {
    const form = await request.formData()
    const values = {
      email: String(form.get('email') ?? '').trim(),
      displayName: String(form.get('displayName') ?? '').trim(),
    }
    const password = String(form.get('password') ?? '')
    const errors = checkRegistration({ ...values, password })
    if (hasErrors(errors)) return fail(400, { values, errors, message: undefined })
    try {
      const signedIn = await getServices().auth.register({ ...values, password }, { address: getClientAddress() })
      setAuthCookies(cookies, signedIn, url.protocol === 'https:')
    } catch (error) {
      return fail(400, { values, errors, message: describeError(error) })
    }
    redirect(303, safeNext(url.searchParams.get('next')))
  },
}
