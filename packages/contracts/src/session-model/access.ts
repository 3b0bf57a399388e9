import type { SessionFields } from './evolve.ts'
import { isHostOrCoHost } from './control.ts'

type AccessFields = Pick<SessionFields, 'visibility' | 'members'>

/**
 * Whether `userId` may see the session at all (its state, history and socket). A private
 * session is seen by its members only: to anyone else it does not exist (404, never 403), and
 * only a valid invite link makes them a member.
 */
export function maySee(session: AccessFields, userId: string): boolean {
  return session.visibility === 'public' || session.members.includes(userId)
}

/** Whether `userId` may be shown the session's invite link: the host, co-hosts, and members when the host allows. */
export function mayShareInvite(session: Pick<SessionFields, 'status' | 'members' | 'hostId' | 'coHostIds' | 'membersMayInvite'>, userId: string): boolean {
  if (session.status !== 'open' || !session.members.includes(userId)) return false
  return isHostOrCoHost(session, userId) || session.membersMayInvite
}
