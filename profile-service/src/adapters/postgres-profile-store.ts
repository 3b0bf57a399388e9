import { fileURLToPath } from 'node:url'
import pg from 'pg'
import Postgrator from 'postgrator'
import { DEFAULT_PREFERENCES, type Preferences, type Profile, type ProfileChanges } from '../profiles/profile.ts'
import type { ProfileStore, UpdateOptions, UpdateOutcome } from '../profiles/profile-store.ts'

const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url))
/** Serialises migrations when several replicas start at once. */
const migrationLockKey = 4_002_001

interface ProfileRow {
  user_id: string
  doc: { displayName: string; bio: string; avatarColor: string; preferences?: Partial<Preferences> }
  version: number
  updated_at: Date
}

const columns = 'user_id, doc, version, updated_at'

function toProfile(row: ProfileRow): Profile {
  return {
    userId: row.user_id,
    displayName: row.doc.displayName,
    bio: row.doc.bio,
    avatarColor: row.doc.avatarColor,
    // keys added to Preferences later get their default without migrating old rows
    preferences: { ...DEFAULT_PREFERENCES, ...row.doc.preferences },
    version: row.version,
    updatedAt: row.updated_at,
  }
}

/** Profiles in PostgreSQL (native mode): one row per user, the editable fields as jsonb. */
export class PostgresProfileStore implements ProfileStore {
  readonly #pool: pg.Pool

  constructor(connectionString: string) {
    this.#pool = new pg.Pool({ connectionString, max: 10 })
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.#pool.on('error', () => {})
  }

  async init(): Promise<void> {
    const client = await this.#pool.connect()
    try {
      await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey])
      const postgrator = new Postgrator({
        migrationPattern: `${migrationsDir}/*`,
        driver: 'pg',
        schemaTable: 'schema_version',
        execQuery: (query) => client.query(query),
      })
      await postgrator.migrate()
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {})
      client.release()
    }
  }

  async findById(userId: string): Promise<Profile | null> {
    const { rows } = await this.#pool.query<ProfileRow>(`SELECT ${columns} FROM profiles WHERE user_id = $1`, [userId])
    return rows[0] ? toProfile(rows[0]) : null
  }

  async findByIds(userIds: readonly string[]): Promise<Profile[]> {
    if (userIds.length === 0) return []
    const { rows } = await this.#pool.query<ProfileRow>(`SELECT ${columns} FROM profiles WHERE user_id = ANY($1::text[])`, [
      userIds,
    ])
    return rows.map(toProfile)
  }

  async createIfAbsent(profile: Profile): Promise<boolean> {
    const doc = {
      displayName: profile.displayName,
      bio: profile.bio,
      avatarColor: profile.avatarColor,
      preferences: profile.preferences,
    }
    const result = await this.#pool.query(
      `INSERT INTO profiles (user_id, doc, version, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO NOTHING`,
      [profile.userId, doc, profile.version, profile.updatedAt],
    )
    return result.rowCount === 1
  }

  async update(userId: string, changes: ProfileChanges, options: UpdateOptions): Promise<UpdateOutcome> {
    const { preferences = {}, ...fields } = changes
    const { rows } = await this.#pool.query<ProfileRow>(
      `UPDATE profiles
          SET doc = doc || $2::jsonb || jsonb_build_object('preferences', coalesce(doc->'preferences', '{}') || $3::jsonb),
              version = version + 1,
              updated_at = $4,
              unpublished = true
        WHERE user_id = $1 AND ($5::int[] IS NULL OR version = ANY($5::int[]))
        RETURNING ${columns}`,
      [userId, fields, preferences, options.now, options.expectedVersions ?? null],
    )
    if (rows[0]) return { status: 'updated', profile: toProfile(rows[0]) }
    const current = await this.findById(userId)
    return current ? { status: 'version_mismatch', current } : { status: 'not_found' }
  }

  async listUnpublished(limit: number): Promise<Profile[]> {
    const { rows } = await this.#pool.query<ProfileRow>(
      `SELECT ${columns} FROM profiles WHERE unpublished ORDER BY updated_at LIMIT $1`,
      [limit],
    )
    return rows.map(toProfile)
  }

  async markPublished(userId: string, version: number): Promise<void> {
    await this.#pool.query('UPDATE profiles SET unpublished = false WHERE user_id = $1 AND version = $2', [userId, version])
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1')
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}
