import type { SessionFields } from '@tandem/contracts'
import type { Checkpoint } from '../event-store/checkpoint-store.ts'
import type { GlobalPosition } from '../event-store/event-store.ts'

/** The lobby's checkpoint name in the checkpoint store. */
export const LOBBY_CHECKPOINT_NAME = 'lobby'
/** Version of the shape below: change it when the shape or the meaning of `fields` changes. */
export const LOBBY_CHECKPOINT_VERSION = 1

/** An open session as the checkpoint holds it (its title key is derived again on load). */
export interface CheckpointedSession {
  id: string
  /** The revision of the latest event folded into `fields`. */
  revision: number
  fields: SessionFields
  lastEventAt: number
}

/**
 * The open sessions only: an ended session need not be remembered across a restart. Its events up
 * to the checkpoint's position are never read again, and an event of it after that position finds
 * it unknown and is ignored, as is any event that is not a session's first.
 */
interface LobbyCheckpointState {
  sessions: CheckpointedSession[]
}

export function encodeLobbyCheckpoint(position: GlobalPosition, sessions: CheckpointedSession[]): Checkpoint {
  return { position, schemaVersion: LOBBY_CHECKPOINT_VERSION, state: { sessions } satisfies LobbyCheckpointState }
}

export type DecodedLobbyCheckpoint =
  | { kind: 'usable'; position: GlobalPosition; sessions: CheckpointedSession[] }
  | { kind: 'ignored'; reason: string }

/** The checkpoint's sessions, unless it is of another version or not in the expected shape. */
export function decodeLobbyCheckpoint(checkpoint: Checkpoint): DecodedLobbyCheckpoint {
  if (checkpoint.schemaVersion !== LOBBY_CHECKPOINT_VERSION) {
    return { kind: 'ignored', reason: `schema version ${checkpoint.schemaVersion}, not ${LOBBY_CHECKPOINT_VERSION}` }
  }
  const sessions = (checkpoint.state as Partial<LobbyCheckpointState> | null)?.sessions
  if (!Array.isArray(sessions) || !sessions.every(isCheckpointedSession)) return { kind: 'ignored', reason: 'state not in the expected shape' }
  return { kind: 'usable', position: checkpoint.position, sessions }
}

function isCheckpointedSession(value: unknown): value is CheckpointedSession {
  const s = value as Partial<CheckpointedSession> | null
  const fields = s?.fields as Partial<SessionFields> | undefined
  return (
    typeof s?.id === 'string' &&
    Number.isSafeInteger(s.revision) &&
    typeof s.lastEventAt === 'number' &&
    typeof fields === 'object' &&
    fields !== null &&
    fields.status === 'open' &&
    typeof fields.title === 'string' &&
    typeof fields.hostId === 'string' &&
    Array.isArray(fields.members)
  )
}
