import type { Profile } from '../api/profile.ts'
import type { Timers } from './timers.ts'

/** What the watch page shows of a person. */
export interface Person {
  userId: string
  displayName: string
  /** `#rrggbb` */
  color: string
}

const UNKNOWN_COLOR = '#64748b'
/** profile-service answers at most this many ids per request */
const BATCH = 100

/** Someone whose profile is not (yet) known: a neutral colour and a stand-in name. */
export function placeholderPerson(userId: string, displayName = 'Viewer'): Person {
  return { userId, displayName, color: UNKNOWN_COLOR }
}

export function personFrom(profile: Profile): Person {
  return { userId: profile.userId, displayName: profile.displayName, color: profile.avatarColor }
}

/**
 * Names and colours of the people in a session, loaded in batches as new user ids turn up
 * (a viewer joins, an old chat message is paged in). Asking twice for an id costs nothing.
 */
export class ProfileDirectory {
  readonly #people = new Map<string, Person>()
  /** ids asked for (loaded, loading or not found), so none is asked for twice */
  readonly #asked = new Set<string>()
  #queued: string[] = []
  #timer: unknown

  constructor(
    private readonly load: (ids: string[]) => Promise<Person[]>,
    private readonly onChange: () => void,
    private readonly timers: Timers,
    initial: readonly Person[] = [],
    /** ids seen within this many ms go out in one request */
    private readonly batchDelayMs = 50,
  ) {
    for (const person of initial) {
      this.#people.set(person.userId, person)
      this.#asked.add(person.userId)
    }
  }

  /** The person, or a neutral placeholder (and a load of the id) while unknown. */
  get(userId: string): Person {
    const known = this.#people.get(userId)
    if (known) return known
    this.want([userId])
    return placeholderPerson(userId)
  }

  has(userId: string): boolean {
    return this.#people.has(userId)
  }

  want(userIds: Iterable<string>): void {
    for (const id of userIds) {
      if (this.#asked.has(id)) continue
      this.#asked.add(id)
      this.#queued.push(id)
    }
    if (this.#queued.length > 0 && this.#timer === undefined) {
      this.#timer = this.timers.setTimeout(() => void this.#flush(), this.batchDelayMs)
    }
  }

  /** A profile changed (e.g. the user's own, edited elsewhere). */
  put(person: Person): void {
    this.#people.set(person.userId, person)
    this.#asked.add(person.userId)
    this.onChange()
  }

  async #flush(): Promise<void> {
    this.#timer = undefined
    const ids = this.#queued
    this.#queued = []
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH)
      try {
        const people = await this.load(batch)
        for (const person of people) this.#people.set(person.userId, person)
        if (people.length > 0) this.onChange()
      } catch {
        // Names are a nicety: forget the ids so that a later sighting asks again.
        for (const id of batch) this.#asked.delete(id)
      }
    }
  }
}
