import { error, fail, redirect } from '@sveltejs/kit'
import type { InviteResponse, SessionResponse } from '@tandem/contracts'
import { ApiError } from '$lib/api/http.ts'
import { describeError } from '$lib/api/messages.ts'
import type { Preferences } from '$lib/api/profile.ts'
import { personFrom, type Person } from '$lib/live/profile-directory.ts'
import { INVITE_INVALID_MESSAGE, inviteUrl, isInviteToken } from '$lib/invite.ts'
import { requireUser } from '$lib/server/guard.ts'
import { settingsFrom } from '$lib/session-settings.ts'
import { getServices } from '$lib/server/services.ts'
import type { Actions, PageServerLoad } from './$types'

const DEFAULT_PREFERENCES: Preferences = { autoSync: true, chatTimestamps: true }

/** ws(s):// address of a session's socket, from session-service's public http(s) address. */
function socketUrl(publicSessionUrl: string, id: string): string {
  return `${publicSessionUrl.replace(/^http/, 'ws')}/v1/sessions/${encodeURIComponent(id)}/ws`
}

/** The invite token of the link that brought the visitor here, if any; a malformed one is refused at once. */
function inviteOf(url: URL): string | undefined {
  const invite = url.searchParams.get('invite')
  if (invite === null) return undefined
  if (!isInviteToken(invite)) error(404, { message: INVITE_INVALID_MESSAGE, code: 'invite_invalid' })
  return invite
}

/**
 * The watch page: the session, the people in it, your preferences, and a short-lived access token
 * for the session socket. Opening it never changes who is in the session (a link, a redirect or a
 * hover's preload all land here): a visitor who is not a member gets the join prompt, without
 * the token, and becomes a member only by posting the `join` action (with the invite of the
 * link, if one brought them). A private session is not found for a stranger, unless an invite
 * link brought them: then the prompt says only that they were invited, since session-service
 * tells whether the link works (and whether the session exists) only to a join. The page holds
 * a token, so it is never cached.
 */
export const load: PageServerLoad = async ({ locals, url, params, setHeaders }) => {
  const { user, accessToken } = requireUser(locals, url)
  setHeaders({ 'cache-control': 'private, no-store' })
  const invite = inviteOf(url)
  const { sessions, profiles, config } = getServices()
  let session: SessionResponse
  try {
    session = await sessions.get(params.id, accessToken)
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      if (invite !== undefined) return { view: 'invited' as const, invite }
      error(404, 'There is no watch session with this id.')
    }
    error(503, describeError(e))
  }
  const member = session.members.includes(user.id)
  // a member needs no invite: the link's token leaves the address bar
  if (member && invite !== undefined) redirect(303, `/sessions/${encodeURIComponent(session.id)}`)
  const others = [...new Set([session.hostId, ...session.members])].filter((id) => id !== user.id)
  const [people, mine] = await Promise.all([
    profiles.many(others, accessToken).catch(() => []),
    // the join prompt shows only the others
    member ? profiles.mine(accessToken).catch(() => undefined) : undefined,
  ])
  if (!member) return { view: 'join' as const, session, invite, people: people.map(personFrom) }
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

/** The link for the invite dialog, or why there is none. The token goes to the dialog only, never to a log. */
async function inviteAnswer(origin: string, sessionId: string, call: () => Promise<InviteResponse>) {
  try {
    const { token, expiresAt } = await call()
    return { invite: { url: inviteUrl(origin, sessionId, token), expiresAt } }
  } catch (e) {
    return fail(e instanceof ApiError && e.status < 500 ? e.status : 503, { message: describeError(e) })
  }
}

/** What a refused join with an invite means to the visitor: the link leads nowhere (any more). */
const INVITE_REFUSED = new Set(['invite_invalid', 'session_not_found'])

/**
 * Join, Leave (anyone) and End (the host), the invite link and the host's settings, as form posts:
 * session-service's REST routes, called with the access cookie's token. SvelteKit refuses a form
 * post from another origin (403), so no other site can make a visitor join. The room hears of
 * membership, settings and the end through the socket (ViewerJoined, VisibilityChanged, …).
 */
export const actions: Actions = {
  join: async ({ locals, url, params, request }) => {
    const { accessToken } = requireUser(locals, url)
    const given = (await request.formData()).get('invite')
    const invite = typeof given === 'string' && given !== '' ? given : undefined
    // every failure names inviteInvalid, so that the page's `form` type keeps it
    if (invite !== undefined && !isInviteToken(invite)) return fail(404, { message: INVITE_INVALID_MESSAGE, inviteInvalid: true })
    try {
      // joining a session you are in changes nothing, so the lobby posts here for every entry
      await getServices().sessions.join(params.id, accessToken, invite)
    } catch (e) {
      if (invite !== undefined && e instanceof ApiError && INVITE_REFUSED.has(e.code)) {
        return fail(404, { message: INVITE_INVALID_MESSAGE, inviteInvalid: true })
      }
      if (!(e instanceof ApiError && ENDED.has(e.code))) {
        return fail(e instanceof ApiError && e.status < 500 ? e.status : 503, { message: describeError(e), inviteInvalid: false })
      }
    }
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
  /** The current invite link, for whoever may share it (the dialog of the watch page and the lobby). */
  invite: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    return inviteAnswer(url.origin, params.id, () => getServices().sessions.invite(params.id, accessToken))
  },
  /** The host revokes the link: the old one stops working, the answer is the new one. */
  resetInvite: async ({ locals, url, params }) => {
    const { accessToken } = requireUser(locals, url)
    return inviteAnswer(url.origin, params.id, () => getServices().sessions.resetInvite(params.id, {}, accessToken))
  },
  /** The host's settings: who can join, and whether members may share the invite link. */
  settings: async ({ locals, url, params, request }) => {
    const { accessToken } = requireUser(locals, url)
    const changes = settingsFrom(await request.formData())
    if (!changes) return fail(400, { message: 'Choose a setting to change.' })
    return perform(() => getServices().sessions.update(params.id, changes, accessToken), new Set())
  },
}
