import type { ClientCommand, ControlMode, Visibility } from '@tandem/contracts'

/** Opening a session is the only command that is not sent over the socket. */
export interface CreateSession {
  type: 'create'
  title: string
  videoUrl: string
  controlMode: ControlMode
  visibility: Visibility
  /** The first invite's id, chosen by the caller (the decider makes nothing random). */
  inviteId: string
}

/**
 * Joining over REST may carry an invite: `invite` is the invite id its link names when the link's
 * MAC checked out, null when a link was given but is not one session-service made.
 */
export interface JoinSession {
  type: 'join'
  invite?: string | null
}

/** The host's settings (`PATCH /v1/sessions/:id`). */
export interface ConfigureSession {
  type: 'configure'
  visibility?: Visibility
  membersMayInvite?: boolean
}

/** The host revokes the invite link and issues another. */
export interface ResetInvite {
  type: 'resetInvite'
  inviteId: string
  expiresAt: number | null
}

/**
 * The host has had no socket open for the allowed time. `present` lists who has a socket open
 * now, longest present first; control goes to the first co-host among them, else the first member.
 */
export interface HostGone {
  type: 'hostGone'
  hostId: string
  present: string[]
}

/** Nobody has been connected for the idle time. */
export interface EndIdle {
  type: 'endIdle'
}

/** Commands the service itself sends, as `SYSTEM_ACTOR`, never read from a socket. */
export type SystemCommand = HostGone | EndIdle

export type SessionCommand = Exclude<ClientCommand, { type: 'join' }> | JoinSession | CreateSession | ConfigureSession | ResetInvite | SystemCommand

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
