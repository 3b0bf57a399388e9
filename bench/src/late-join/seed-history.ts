import { randomUUID } from 'node:crypto'
import type { EventStore, NewEvent } from '../../../session-service/src/event-store/event-store.ts'
import type { SnapshotStore } from '../../../session-service/src/event-store/snapshot-store.ts'
import type { SessionCommand } from '../../../session-service/src/domain/commands.ts'
import { decide } from '../../../session-service/src/domain/decide.ts'
import { evolve, initialState, type SessionState } from '../../../session-service/src/domain/state.ts'
import { SNAPSHOT_SCHEMA_VERSION } from '../../../session-service/src/stream/session-repository.ts'
import { encodeSessionEvent, sessionStream } from '../../../session-service/src/stream/session-stream.ts'

export interface SeedOptions {
  events: number
  members: string[]
  /** session-service's SNAPSHOT_EVERY: a snapshot whenever the revision crosses a multiple of it. */
  snapshotEvery: number
  /** Events per append. */
  batch?: number
  onProgress?: (done: number) => void
}

const LINES = ['ha', 'wait, rewind that', 'who is the guy in the hat?', 'this soundtrack is something else', 'brb, popcorn', 'I did not see that coming at all, did you?']

/**
 * Writes a session with a long, chat-heavy history straight to the store, as session-service
 * would have written it: every command decided by the real decider, the events appended in
 * batches, and a snapshot each time the revision crosses a multiple of `snapshotEvery` (what
 * `SessionRepository.snapshotIfDue` does). Eight events in ten are chat, the rest seeks, plays
 * and pauses.
 */
export async function seedHistory(store: { events: EventStore; snapshots: SnapshotStore }, options: SeedOptions): Promise<string> {
  const id = randomUUID()
  const stream = sessionStream(id)
  const batchSize = options.batch ?? 500
  const [hostId, ...others] = options.members
  let state: SessionState = initialState
  let at = Date.now() - options.events * 2000
  let batch: NewEvent[] = []
  let expected: number | 'no_stream' = 'no_stream'

  const flush = async (snapshot: boolean) => {
    if (batch.length > 0) {
      expected = (await store.events.append(stream, batch, expected)).nextExpectedRevision
      batch = []
      options.onProgress?.(expected + 1)
    }
    if (snapshot) await store.snapshots.save(stream, { revision: state.revision, schemaVersion: SNAPSHOT_SCHEMA_VERSION, state })
  }
  const run = async (userId: string, command: SessionCommand) => {
    const commandId = randomUUID()
    const decision = decide({ id: commandId, userId, at: (at += 2000), command }, state)
    if (decision.kind !== 'accepted') throw new Error(`seeding: command refused: ${JSON.stringify(decision)}`)
    for (const event of decision.events) {
      const before = state.revision
      state = evolve(state, event)
      batch.push(encodeSessionEvent(event, commandId))
      const snapshotDue = Math.floor(state.revision / options.snapshotEvery) > Math.floor(Math.max(before, 0) / options.snapshotEvery)
      if (snapshotDue || batch.length >= batchSize) await flush(snapshotDue)
    }
  }

  await run(hostId!, { type: 'create', title: 'Long night', videoUrl: 'https://videos.example/long.mp4', controlMode: 'everyone', visibility: 'public', inviteId: 'invite-1' })
  for (const member of others) await run(member, { type: 'join' })
  let position = 0
  while (state.revision + 1 < options.events) {
    const n = state.revision
    const user = options.members[n % options.members.length]!
    position += 1.7
    if (n % 10 === 0) await run(user, { type: 'seek', position: (position = (position + 37) % 5000) })
    else if (n % 10 === 5) await run(user, { type: n % 20 === 5 ? 'play' : 'pause', position })
    else await run(user, { type: 'chat', text: `${LINES[n % LINES.length]} (#${n})`, videoPosition: position })
  }
  await flush(false)
  return id
}
