import type { SessionFields } from './evolve.ts'

/** Why someone may not play, pause, seek, scrub or change the rate or the video. */
export type ControlRefusal = 'not_member' | 'not_host'

type ControlFields = Pick<SessionFields, 'members' | 'hostId' | 'coHostIds' | 'controlMode'>

/** Whether `userId` is the host or one of the co-hosts the host named. */
export function isHostOrCoHost(session: Pick<SessionFields, 'hostId' | 'coHostIds'>, userId: string): boolean {
  return session.hostId === userId || session.coHostIds.includes(userId)
}

/** null when `userId` may control playback of an open session, else the reason not. */
export function controlRefusal(session: ControlFields, userId: string): ControlRefusal | null {
  if (!session.members.includes(userId)) return 'not_member'
  if (session.controlMode === 'host' && !isHostOrCoHost(session, userId)) return 'not_host'
  return null
}

/** Whether `userId` may control playback now (the session is open and the rule allows it). */
export function mayControl(session: ControlFields & Pick<SessionFields, 'status'>, userId: string): boolean {
  return session.status === 'open' && controlRefusal(session, userId) === null
}
