import t from 'tap'
import { profileStoreFromUrl } from '../../src/adapters/profile-store-from-url.ts'
import { PostgresProfileStore } from '../../src/adapters/postgres-profile-store.ts'
import { MongoProfileStore } from '../../src/adapters/mongo-profile-store.ts'

t.test('the URL scheme picks the adapter', async (t) => {
  const pg = profileStoreFromUrl('postgres://postgres@127.0.0.1:5432/tandem_profile')
  t.type(pg, PostgresProfileStore)
  await pg.close()
  // Constructing a MongoDB client does not connect, so no server is needed here.
  const mongo = profileStoreFromUrl('mongodb://127.0.0.1:1/profile')
  t.type(mongo, MongoProfileStore)
  await mongo.close()
  t.throws(() => profileStoreFromUrl('redis://localhost'), { message: /PROFILE_STORE_URL must start with postgres:\/\/ or mongodb:\/\// })
})
