import type { StoredSessionEvent } from '../stream/session-stream.ts'

/**
 * How many commands a live session remembers. A replica that loads a session reads only the
 * latest `RECENT_EVENTS_ON_LOAD` events, but once loaded it remembers many more: when a replica
 * dies its clients re-send their unanswered commands through another one, and on a busy session
 * more commands than that may have been applied in between.
 */
const REMEMBERED_COMMANDS = 10_000

/** The latest events of a stream whose commands a replica remembers when it loads the session. */
export const RECENT_EVENTS_ON_LOAD = 256

/**
 * The commands a session applied lately, each with the revision of the last event it produced,
 * so that a retry is acknowledged at that revision instead of being decided again. Command ids
 * are chosen by clients, so a command is known by its user and its id together. Commands that
 * produced no event are not remembered: deciding them again changes nothing either.
 */
export class AppliedCommands {
  /** Oldest first, at most `capacity`. */
  readonly #revisions = new Map<string, number>()

  constructor(private readonly capacity = REMEMBERED_COMMANDS) {}

  /** The revision `userId`'s command `commandId` reached, if it was applied. */
  revisionOf(userId: string, commandId: string): number | undefined {
    return this.#revisions.get(key(userId, commandId))
  }

  /** Notes the command of an applied event (its user is the event's `by`). */
  record(stored: StoredSessionEvent): void {
    if (!stored.commandId) return
    const k = key(stored.event.by, stored.commandId)
    this.#revisions.delete(k)
    this.#revisions.set(k, stored.revision)
    if (this.#revisions.size > this.capacity) this.#revisions.delete(this.#revisions.keys().next().value!)
  }
}

const key = (userId: string, commandId: string): string => JSON.stringify([userId, commandId])
