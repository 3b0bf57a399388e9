import { error, fail, redirect } from '@sveltejs/kit'
import type { SessionResponse } from '@tandem/contracts'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import type { Preferences } from '$lib/api/profile.ts'
import { personFrom, type Person } from '$lib/live/profile-directory.ts'
import { requireUser } from '$lib/server/guard.ts'
import { getServices } from '$lib/server/services.ts'
import type { Actions, PageServerLoad } from './$types'

const DEFAULT_PREFERENCES: Preferences = { autoSync: true, chatTimestamps: true }

/** ws(s):// address of a session's socket, from session-service's public http(s) address. */
function socketUrl(publicSessionUrl: string, id: string): string {
  return `${publicSessionUrl.replace(/^http/, 'ws')}/v1/sessions/${encodeURIComponent(id)}/ws`
}

/**
 * The watch page: the session, the people in it, your preferences, and a short-lived access token
 * for the session socket. Opening it never changes who is in the session (a link, a redirect or a
 * hover's preload all land here): a visitor who is not a member of an open session gets the join
 * prompt, without the token, and becomes a member only by posting the `join` action. The page
 * holds a token, so it is never cached.
 */
export const load: PageServerLoad = async ({ locals, url, params, setHeaders }) => {
  const { user, accessToken } = requireUser(locals, url)
  setHeaders({ 'cache-control': 'private, no-store' })
  const { sessions, profiles, config } = getServices()
  let session: SessionResponse
  try {
    session = await sessions.get(params.id, accessToken)
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) error(404, 'There is no watch session with this id.')
    error(503, describeError(e))
  }
  const others = [...new Set([session.hostId, ...session.members])].filter((id) => id !== user.id)
  const [people, mine] = await Promise.all([
    profiles.many(others, accessToken).catch(() => []),
    profiles.mine(accessToken).catch(() => undefined),
  ])
  const me: Person = mine ? personFrom(mine) : { userId: user.id, displayName: user.displayName, color: '#38bdf8' }
  if (session.status === 'open' && !session.members.includes(user.id)) {
    return { view: 'join' as const, session, people: people.map(personFrom) }
  }
  return {
    view: 'watch' as const,
    session,
    me,
    people: [me, ...people.map(personFrom)],
    preferences: mine?.preferences ?? DEFAULT_PREFERENCES,
    live: {
      url: socketUrl(config.publicSessionUrl, session.id),
      token: accessToken,
      expiresAt: locals.accessTokenExpiresAt ?? Date.now() + 60_000,
    },
  }
}

/** Leaving something you are no longer in (or that is over) is not an error: you are out. */
const NOTHING_TO_LEAVE = new Set(['not_member', 'session_ended', 'session_not_found'])

/** A Leave or End session-service refused or could not do: its status (503 if it failed) and why. */
function refused(e: unknown) {
  return fail(e instanceof ApiError && e.status < 500 ? e.status : 503, { message: describeError(e) })
}

/**
 * Join, Leave (anyone) and End (the host), as form posts: session-service's REST routes, called
 * with the access cookie's token. SvelteKit refuses a form post from another origin (403), so no
 * other site can make a visitor join. The room hears of all three through the socket (ViewerJoined,
 * ViewerLeft, SessionEnded).
 */
export const actions: Actions = {
  join: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    try {
      // joining a session you are in changes nothing, so the lobby posts here for every entry
      await getServices().sessions.join(params.id, accessToken)
    } catch (e) {
      // ended meanwhile: the page shows it read-only
      if (!(e instanceof ApiError && e.code === 'session_ended')) return refused(e)
    }
    redirect(303, `/sessions/${encodeURIComponent(params.id)}`)
  },
  leave: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    try {
      await getServices().sessions.leave(params.id, accessToken)
    } catch (e) {
      if (!(e instanceof ApiError && NOTHING_TO_LEAVE.has(e.code))) return refused(e)
    }
    redirect(303, '/lobby')
  },
  end: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    try {
      await getServices().sessions.end(params.id, accessToken)
    } catch (e) {
      // ended already (by another tab, say): what was asked for is done
      if (!(e instanceof ApiError && e.code === 'session_ended')) return refused(e)
    }
  },
}
