import { fetchPeople } from '$lib/api/browser.ts'
import { ProfileDirectory, browserTimers, type Person } from '$lib/live/index.ts'

/** Names and colours of everyone the page shows, loaded as new user ids turn up. */
export class People {
  readonly me: Person
  /** bumped when names or colours arrive */
  version = $state(0)
  readonly #directory: ProfileDirectory

  constructor(me: Person, known: readonly Person[]) {
    this.me = me
    this.#directory = new ProfileDirectory(fetchPeople, () => this.version++, browserTimers, known)
  }

  /** Name and colour of a user (reactive: re-read when profiles arrive). */
  person(userId: string): Person {
    void this.version
    return userId === this.me.userId ? this.me : this.#directory.get(userId)
  }

  want(userIds: Iterable<string>): void {
    this.#directory.want(userIds)
  }
}
