/**
 * Snapshots: the folded state of a stream at a revision. They are a cache of what the events
 * already say, so a missing, stale or unreadable snapshot only costs reading more events.
 */
export interface Snapshot {
  revision: number
  /** Version of the state's shape; a snapshot of another version is ignored. */
  schemaVersion: number
  state: unknown
}

export interface SnapshotStore {
  /** The latest snapshot of the stream, or null. */
  load(streamId: string): Promise<Snapshot | null>
  /** Stores a snapshot unless a newer one is already there. */
  save(streamId: string, snapshot: Snapshot): Promise<void>
}
