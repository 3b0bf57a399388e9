import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb'
import { DEFAULT_PREFERENCES, type Preferences, type Profile, type ProfileChanges } from '../profiles/profile.ts'
import type { ProfileStore, UpdateOptions, UpdateOutcome } from '../profiles/profile-store.ts'

interface ProfileDocument {
  /** the user id */
  _id: string
  displayName: string
  bio: string
  avatarColor: string
  preferences: Partial<Preferences>
  version: number
  updatedAt: Date
  /** present (true) from an edit until its profile.updated is confirmed published */
  unpublished?: true
}

const collectionName = 'profiles'
const duplicateKey = 11000
const namespaceExists = 48

/** Refuses malformed documents even when written by something other than this service. */
const validator = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['_id', 'displayName', 'bio', 'avatarColor', 'preferences', 'version', 'updatedAt'],
    properties: {
      _id: { bsonType: 'string' },
      displayName: { bsonType: 'string' },
      bio: { bsonType: 'string' },
      avatarColor: { bsonType: 'string', pattern: '^#[0-9a-f]{6}$' },
      preferences: { bsonType: 'object' },
      version: { bsonType: ['int', 'long'], minimum: 1 },
      updatedAt: { bsonType: 'date' },
      unpublished: { bsonType: 'bool' },
    },
  },
}

function toProfile(doc: ProfileDocument): Profile {
  return {
    userId: doc._id,
    displayName: doc.displayName,
    bio: doc.bio,
    avatarColor: doc.avatarColor,
    preferences: { ...DEFAULT_PREFERENCES, ...doc.preferences },
    version: doc.version,
    updatedAt: doc.updatedAt,
  }
}

/** The database named in the URL path (`mongodb://host/profile`), else `profile`. */
export function databaseNameOf(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)
  return match?.[1] ? decodeURIComponent(match[1]) : 'profile'
}

/** Profiles in MongoDB (full deployment): one document per user, `_id` = user id. */
export class MongoProfileStore implements ProfileStore {
  readonly #client: MongoClient
  readonly #db: Db
  readonly #profiles: Collection<ProfileDocument>

  constructor(url: string, options: { databaseName?: string } = {}) {
    this.#client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, appName: 'profile-service' })
    this.#db = this.#client.db(options.databaseName ?? databaseNameOf(url))
    this.#profiles = this.#db.collection<ProfileDocument>(collectionName)
  }

  async init(): Promise<void> {
    const existing = await this.#db.listCollections({ name: collectionName }, { nameOnly: true }).toArray()
    if (existing.length === 0) {
      try {
        await this.#db.createCollection(collectionName, { validator })
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === namespaceExists)) throw err
      }
    }
    // Lookups are by _id, which MongoDB indexes itself; the outbox sweep needs this one.
    await this.#profiles.createIndex(
      { updatedAt: 1 },
      { name: 'unpublished_by_updated_at', partialFilterExpression: { unpublished: true } },
    )
  }

  async findById(userId: string): Promise<Profile | null> {
    const doc = await this.#profiles.findOne({ _id: userId })
    return doc ? toProfile(doc) : null
  }

  async findByIds(userIds: readonly string[]): Promise<Profile[]> {
    if (userIds.length === 0) return []
    const docs = await this.#profiles.find({ _id: { $in: [...userIds] } }).toArray()
    return docs.map(toProfile)
  }

  async createIfAbsent(profile: Profile): Promise<boolean> {
    const { userId, ...fields } = profile
    try {
      const result = await this.#profiles.updateOne(
        { _id: userId },
        { $setOnInsert: { ...fields, preferences: { ...fields.preferences } } },
        { upsert: true },
      )
      return result.upsertedCount === 1
    } catch (err) {
      // Two concurrent upserts of one new _id: one inserts, the other hits the unique _id index.
      if (err instanceof MongoServerError && err.code === duplicateKey) return false
      throw err
    }
  }

  async update(userId: string, changes: ProfileChanges, options: UpdateOptions): Promise<UpdateOutcome> {
    const { preferences = {}, ...fields } = changes
    const set: Record<string, unknown> = { ...fields, updatedAt: options.now, unpublished: true }
    for (const [key, value] of Object.entries(preferences)) set[`preferences.${key}`] = value
    const filter = options.expectedVersions
      ? { _id: userId, version: { $in: options.expectedVersions } }
      : { _id: userId }
    const updated = await this.#profiles.findOneAndUpdate(filter, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' })
    if (updated) return { status: 'updated', profile: toProfile(updated) }
    const current = await this.findById(userId)
    return current ? { status: 'version_mismatch', current } : { status: 'not_found' }
  }

  async listUnpublished(limit: number): Promise<Profile[]> {
    const docs = await this.#profiles.find({ unpublished: true }).sort({ updatedAt: 1 }).limit(limit).toArray()
    return docs.map(toProfile)
  }

  async markPublished(userId: string, version: number): Promise<void> {
    await this.#profiles.updateOne({ _id: userId, version }, { $unset: { unpublished: '' } })
  }

  async ping(): Promise<void> {
    await this.#db.command({ ping: 1 })
  }

  /** Drops the whole database; for test teardown only. */
  async dropDatabase(): Promise<void> {
    await this.#db.dropDatabase()
  }

  async close(): Promise<void> {
    await this.#client.close()
  }
}
