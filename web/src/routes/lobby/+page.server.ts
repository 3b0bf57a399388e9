import { error, fail, redirect } from '@sveltejs/kit'
import type { ControlMode } from '@tandem/contracts'
import { describeError } from '$lib/api/messages.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import { checkNewSession, hasErrors } from '$lib/validation.ts'
import type { Actions, PageServerLoad } from './$types'

/** The video every new session suggests: the sample this server ships (no internet needed). */
function sampleVideoUrl(url: URL): string {
  return new URL('/media/sample.webm', url.origin).href
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const { accessToken } = requireUser(locals, url)
  const { sessions, profiles } = getServices()
  let list
  try {
    list = await sessions.list(accessToken)
  } catch (e) {
    error(503, describeError(e))
  }
  const hosts = await profiles.many([...new Set(list.map((s) => s.hostId))], accessToken).catch(() => [])
  const hostNames = Object.fromEntries(hosts.map((p) => [p.userId, { name: p.displayName, color: p.avatarColor }]))
  return {
    sessions: [...list].sort((a, b) => b.createdAt - a.createdAt),
    hostNames,
    defaultVideoUrl: sampleVideoUrl(url),
  }
}

export const actions: Actions = {
  create: async ({ request, locals, url }) => {
    const { accessToken } = requireUser(locals, url)
    const form = await request.formData()
    const values = {
      title: String(form.get('title') ?? '').trim(),
      videoUrl: String(form.get('videoUrl') ?? '').trim(),
      controlMode: (form.get('controlMode') === 'host' ? 'host' : 'everyone') as ControlMode,
    }
    const errors = checkNewSession(values)
    if (hasErrors(errors)) return fail(400, { values, errors, message: undefined })
    let id: string
    try {
      id = (await getServices().sessions.create(values, accessToken)).id
    } catch (e) {
      return fail(400, { values, errors, message: describeError(e) })
    }
    redirect(303, `/sessions/${encodeURIComponent(id)}`)
  },
}
