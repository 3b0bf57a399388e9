import type { AnnouncedViewer } from './presence-board.ts'

/** What replicas tell each other about a session over core NATS; never stored. */
export type EphemeralMessage =
  | { kind: 'scrub'; replicaId: string; userId: string; position: number }
  /** The sender's local viewers of the session (empty when its last one left), each with `since`. */
  | { kind: 'presence'; replicaId: string; viewers: AnnouncedViewer[] }

export function parseEphemeral(data: string): EphemeralMessage | null {
  try {
    const m = JSON.parse(data) as Partial<EphemeralMessage>
    if (typeof m.replicaId !== 'string') return null
    if (m.kind === 'scrub' && typeof m.userId === 'string' && typeof m.position === 'number') return m as EphemeralMessage
    if (m.kind === 'presence' && Array.isArray(m.viewers)) return m as EphemeralMessage
    return null
  } catch {
    return null
  }
}
