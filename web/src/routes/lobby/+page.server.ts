import { error, fail, redirect } from '@sveltejs/kit'
import { LOBBY_PAGE, type ControlMode, type LobbyQuery, type LobbyResponse, type Visibility } from '@tandem/contracts'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import { checkNewSession, hasErrors } from '$lib/validation.ts'
import type { Actions, PageServerLoad } from './$types'

/** The video every new session suggests: the sample this server ships (no internet needed). */
function sampleVideoUrl(url: URL): string {
  return new URL('/media/sample.webm', url.origin).href
}

/** The lobby's search and page, from its address (`?q=…&cursor=…`), bounded as session-service bounds them. */
function lobbyQuery(url: URL): LobbyQuery {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, LOBBY_PAGE.queryMaxChars)
  const cursor = url.searchParams.get('cursor') ?? ''
  return { ...(q ? { q } : {}), ...(cursor && cursor.length <= 500 ? { cursor } : {}) }
}

/**
 * The lobby: your open sessions (private ones too), then one page of the public ones, in
 * session-service's order (most watched first), searchable by title. Your sessions are a
 * convenience: when they cannot be had, the rest of the lobby still shows.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const { accessToken } = requireUser(locals, url)
  const { sessions, profiles } = getServices()
  const query = lobbyQuery(url)
  let page: LobbyResponse
  try {
    page = await sessions.list(query, accessToken)
  } catch (e) {
    // a cursor from an older page (or a made-up one) starts the list over
    if (query.cursor && e instanceof ApiError && e.status === 400) redirect(303, query.q ? `/lobby?q=${encodeURIComponent(query.q)}` : '/lobby')
    error(503, describeError(e))
  }
  const mine = await sessions.mine(accessToken).catch(() => null)
  const hostIds = [...new Set([...page.sessions, ...(mine ?? [])].map((s) => s.hostId))]
  const hosts = await profiles.many(hostIds, accessToken).catch(() => [])
  const hostNames = Object.fromEntries(hosts.map((p) => [p.userId, { name: p.displayName, color: p.avatarColor }]))
  return {
    sessions: page.sessions,
    nextCursor: page.nextCursor,
    query,
    mine,
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
      visibility: (form.get('visibility') === 'public' ? 'public' : 'private') as Visibility,
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
