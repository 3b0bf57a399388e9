import { error, fail } from '@sveltejs/kit'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import { checkProfile, hasErrors } from '$lib/validation.ts'
import type { Actions, PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ locals, url }) => {
  const { accessToken } = requireUser(locals, url)
  try {
    return { profile: await getServices().profiles.mine(accessToken) }
  } catch (e) {
    error(503, describeError(e))
  }
}

export const actions: Actions = {
  save: async ({ request, locals, url }) => {
    const { accessToken } = requireUser(locals, url)
    const form = await request.formData()
    const values = {
      displayName: String(form.get('displayName') ?? '').trim(),
      bio: String(form.get('bio') ?? '').trim(),
      avatarColor: String(form.get('avatarColor') ?? '').toLowerCase(),
      preferences: { autoSync: form.get('autoSync') === 'on', chatTimestamps: form.get('chatTimestamps') === 'on' },
    }
    const version = Number(form.get('version'))
    const errors = checkProfile(values)
    if (hasErrors(errors)) return fail(400, { values, errors, message: undefined, saved: false })
    const { profiles } = getServices()
    try {
      const profile = await profiles.updateMine(accessToken, values, Number.isInteger(version) ? version : undefined)
      return { saved: true, profile }
    } catch (e) {
      // Edited elsewhere since this form was loaded: show the newer profile rather than overwrite it.
      const latest = e instanceof ApiError && e.code === 'precondition_failed' ? await profiles.mine(accessToken).catch(() => undefined) : undefined
      return fail(e instanceof ApiError && e.status < 500 ? e.status : 503, {
        values: latest ?? values,
        errors,
        message: describeError(e),
        saved: false,
        ...(latest ? { profile: latest } : {}),
      })
    }
  },
}
