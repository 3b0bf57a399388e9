import type { SessionFields } from './evolve.ts'

/** Why someone may not play, pause, seek, scrub or change the rate or the video. */
export type ControlRefusal = 'not_member' | 'not_host'

type ControlFields = Pick<SessionFields, 'members' | 'hostId' | 'controlMode'>

/** null when `userId` may control playback of an open session, else the reason not. */
export function controlRefusal(session: ControlFields, userId: string): ControlRefusal | null {
  if (!session.members.includes(userId)) return 'not_member'
  if (session.controlMode === 'host' && session.hostId !== userId) return 'not_host'
  return null
}

/** Whether `userId` may control playback now (the session is open and the rule allows it). */
export function mayControl(session: ControlFields & Pick<SessionFields, 'status'>, userId: string): boolean {
  return session.status === 'open' && controlRefusal(session, userId) === null
}
