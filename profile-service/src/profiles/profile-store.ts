import type { Profile, ProfileChanges } from './profile.ts'

export type UpdateOutcome =
  | { status: 'updated'; profile: Profile }
  | { status: 'not_found' }
  /** The profile's version is not one the caller expected; nothing was written. */
  | { status: 'version_mismatch'; current: Profile }

export interface UpdateOptions {
  /** Apply only while the stored version is one of these (from `If-Match`); any version when absent. */
  expectedVersions?: number[]
  now: Date
}

/**
 * Where profiles live: one implementation per store (PostgreSQL jsonb, MongoDB), all held to
 * the same contract suite (test/profiles/profile-store-contract.ts).
 *
 * Every write is a single atomic statement on one record, so concurrent writers never interleave
 * inside an edit. An edit also marks the profile "unpublished" in that same write: the record
 * is its own outbox for `profile.updated`, so an event that could not be sent is not forgotten.
 */
export interface ProfileStore {
  /** Creates tables, collections and indexes if missing. Idempotent. */
  init(): Promise<void>
  findById(userId: string): Promise<Profile | null>
  /** Profiles of those ids that exist, in no particular order. */
  findByIds(userIds: readonly string[]): Promise<Profile[]>
  /** Inserts unless a profile with that user id exists; true when this call created it. */
  createIfAbsent(profile: Profile): Promise<boolean>
  /** Applies the changes, bumps the version by one and sets `updatedAt`, in one conditional write. */
  update(userId: string, changes: ProfileChanges, options: UpdateOptions): Promise<UpdateOutcome>
  /** Edited profiles whose `profile.updated` has not been confirmed published, oldest edit first. */
  listUnpublished(limit: number): Promise<Profile[]>
  /** Clears the unpublished mark, unless the profile was edited again after `version`. */
  markPublished(userId: string, version: number): Promise<void>
  /** Resolves when the store answers. */
  ping(): Promise<void>
  close(): Promise<void>
}
