import type { GlobalPosition } from './event-store.ts'

/**
 * Checkpoints: a projection's state at a place in the feed of all streams, so that it starts
 * from there instead of from the beginning. A cache of what the events already say: a missing,
 * stale or unreadable checkpoint only costs reading more of the feed.
 */
export interface Checkpoint {
  /** The feed position the state includes everything up to. */
  position: GlobalPosition
  /** Version of the state's shape; a checkpoint of another version is ignored. */
  schemaVersion: number
  state: unknown
}

/** One checkpoint per projection name, shared by every replica. */
export interface CheckpointStore {
  /** The projection's latest checkpoint, or null. */
  load(name: string): Promise<Checkpoint | null>
  /**
   * Stores the checkpoint unless one of the same schema version at the same or a later position
   * is already there, also when several replicas save at once.
   */
  save(name: string, checkpoint: Checkpoint): Promise<void>
}
