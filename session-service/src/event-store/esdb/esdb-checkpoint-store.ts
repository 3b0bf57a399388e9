import { BACKWARDS, END, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError, jsonEvent, type EventStoreDBClient } from '@eventstore/db-client'
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.ts'
import { parsePosition } from './esdb-event-store.ts'

/** Saves racing other replicas' saves give up after this many rounds (the checkpoint is a cache). */
const SAVE_ATTEMPTS = 10

interface Latest {
  /** Null when the event does not read as a checkpoint. */
  checkpoint: Checkpoint | null
  /** Revision of the event that holds it, the expected revision of the next save. */
  revision: bigint
}

/**
 * Checkpoints in EventStoreDB itself: the latest of each projection is the last event of a
 * `tandem-checkpoint-<name>` stream (outside the `session-` prefix, so feeds never see it) that
 * keeps one event (`$maxCount: 1`). A save appends only after the event it compared against, so
 * of two replicas saving at once the later position stays.
 */
export class EsdbCheckpointStore implements CheckpointStore {
  constructor(private readonly client: EventStoreDBClient) {}

  async load(name: string): Promise<Checkpoint | null> {
    return (await this.#latest(name))?.checkpoint ?? null
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    const stream = checkpointStream(name)
    for (let attempt = 1; ; attempt++) {
      const latest = await this.#latest(name)
      const stored = latest?.checkpoint
      if (stored && stored.schemaVersion === checkpoint.schemaVersion && !isAfter(checkpoint.position, stored.position)) return
      if (!latest) await this.client.setStreamMetadata(stream, { maxCount: 1 })
      try {
        await this.client.appendToStream(stream, jsonEvent({ type: 'Checkpoint', data: { ...checkpoint } as Record<string, unknown> }), {
          expectedRevision: latest ? latest.revision : NO_STREAM,
        })
        return
      } catch (err) {
        // Another replica saved meanwhile: compare with what it saved.
        if (!(err instanceof WrongExpectedVersionError) || attempt >= SAVE_ATTEMPTS) throw err
      }
    }
  }

  async #latest(name: string): Promise<Latest | null> {
    try {
      for await (const resolved of this.client.readStream(checkpointStream(name), { fromRevision: END, direction: BACKWARDS, maxCount: 1n })) {
        const event = resolved.event
        if (!event) continue
        const data = event.data as Partial<Checkpoint> | undefined
        const checkpoint =
          typeof data?.position === 'string' && typeof data.schemaVersion === 'number' ? { position: data.position, schemaVersion: data.schemaVersion, state: data.state } : null
        return { checkpoint, revision: event.revision }
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return null
      throw err
    }
    return null
  }
}

function checkpointStream(name: string): string {
  return `tandem-checkpoint-${name}`
}

/** Whether feed position `a` comes after `b`. */
function isAfter(a: string, b: string): boolean {
  const [pa, pb] = [parsePosition(a), parsePosition(b)]
  return pa.commit > pb.commit || (pa.commit === pb.commit && pa.prepare > pb.prepare)
}
