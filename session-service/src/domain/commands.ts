import type { ClientCommand, ControlMode } from '@tandem/contracts'

/** Opening a session is the only command that is not sent over the socket. */
export interface CreateSession {
  type: 'create'
  title: string
  videoUrl: string
  controlMode: ControlMode
}

export type SessionCommand = ClientCommand | CreateSession

/**
 * A command with everything the decider must not look up itself: a unique id (for idempotent
 * retries), the acting user, and the server time it is decided at.
 */
export interface CommandEnvelope<C extends SessionCommand = SessionCommand> {
  id: string
  userId: string
  at: number
  command: C
}
