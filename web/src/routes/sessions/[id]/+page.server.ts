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
  const joining = session.status === 'open' && !session.members.includes(user.id)
  const others = [...new Set([session.hostId, ...session.members])].filter((id) => id !== user.id)
  const [people, mine] = await Promise.all([
    profiles.many(others, accessToken).catch(() => []),
    // the join prompt shows only the others
    joining ? undefined : profiles.mine(accessToken).catch(() => undefined),
  ])
  if (joining) return { view: 'join' as const, session, people: people.map(personFrom) }
  const me: Person = mine ? personFrom(mine) : { userId: user.id, displayName: user.displayName, color: '#38bdf8' }
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
/** Joining or ending a session that has ended: nothing more to do (the page shows it read-only). */
const ENDED = new Set(['session_ended'])

/**
 * Makes a session-service call for a form action. Undefined once it is done, also when
 * session-service refuses it with one of the `done` codes (what was asked for is so already);
 * otherwise the failure to return: its status (503 if it failed) and why.
 */
async function perform(call: () => Promise<unknown>, done: ReadonlySet<string>) {
  try {
    await call()
  } catch (e) {
    if (e instanceof ApiError && done.has(e.code)) return undefined
    return fail(e instanceof ApiError && e.status < 500 ? e.status : 503, { message: describeError(e) })
  }
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
    // joining a session you are in changes nothing, so the lobby posts here for every entry
    const failed = await perform(() => getServices().sessions.join(params.id, accessToken), ENDED)
    if (failed) return failed
    redirect(303, `/sessions/${encodeURIComponent(params.id)}`)
  },
  leave: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    const failed = await perform(() => getServices().sessions.leave(params.id, accessToken), NOTHING_TO_LEAVE)
    if (failed) return failed
    redirect(303, '/lobby')
  },
  end: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    return perform(() => getServices().sessions.end(params.id, accessToken), ENDED)
  },
}
