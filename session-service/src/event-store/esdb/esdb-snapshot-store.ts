import { BACKWARDS, END, StreamNotFoundError, jsonEvent, type EventStoreDBClient } from '@eventstore/db-client'
import type { Snapshot, SnapshotStore } from '../snapshot-store.ts'

/** How many snapshots EventStoreDB keeps per stream; older ones are scavenged. */
const SNAPSHOTS_KEPT = 3

/**
 * Snapshots in EventStoreDB itself, in a `snapshot-<stream>` stream (outside the `session-`
 * prefix, so feeds never see them), capped with `$maxCount`. Keeps the ESDB deployment free of
 * a second database.
 */
export class EsdbSnapshotStore implements SnapshotStore {
  constructor(private readonly client: EventStoreDBClient) {}

  async load(streamId: string): Promise<Snapshot | null> {
    try {
      for await (const resolved of this.client.readStream(snapshotStream(streamId), { fromRevision: END, direction: BACKWARDS, maxCount: 1n })) {
        const data = resolved.event?.data as Partial<Snapshot> | undefined
        if (data && typeof data.revision === 'number' && typeof data.schemaVersion === 'number') {
          return { revision: data.revision, schemaVersion: data.schemaVersion, state: data.state }
        }
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return null
      throw err
    }
    return null
  }

  async save(streamId: string, snapshot: Snapshot): Promise<void> {
    const stream = snapshotStream(streamId)
    const latest = await this.load(streamId)
    if (latest && latest.revision >= snapshot.revision && latest.schemaVersion === snapshot.schemaVersion) return
    const result = await this.client.appendToStream(stream, jsonEvent({ type: 'Snapshot', data: { ...snapshot } as Record<string, unknown> }))
    if (result.nextExpectedRevision === 0n) await this.client.setStreamMetadata(stream, { maxCount: SNAPSHOTS_KEPT })
  }
}

function snapshotStream(streamId: string): string {
  return `snapshot-${streamId}`
}
