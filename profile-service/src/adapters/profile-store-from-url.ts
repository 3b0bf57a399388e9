import type { ProfileStore } from '../profiles/profile-store.ts'
import { MongoProfileStore } from './mongo-profile-store.ts'
import { PostgresProfileStore } from './postgres-profile-store.ts'

/** Picks the adapter from the URL scheme: `postgres://` (native mode) or `mongodb://`. */
export function profileStoreFromUrl(url: string): ProfileStore {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase()
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return new PostgresProfileStore(url)
    case 'mongodb':
    case 'mongodb+srv':
      return new MongoProfileStore(url)
    default:
      throw new Error(`PROFILE_STORE_URL must start with postgres:// or mongodb:// (got "${scheme}:")`)
  }
}
