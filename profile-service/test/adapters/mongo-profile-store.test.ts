import t from 'tap'
import { randomBytes } from 'node:crypto'
import { MongoProfileStore, databaseNameOf } from '../../src/adapters/mongo-profile-store.ts'
import { profileStoreContract } from '../fixtures/profile-store-contract.ts'

const mongoUrl = process.env.MONGO_URL

t.test(
  'MongoDB adapter contract suite',
  { skip: mongoUrl ? false : 'MONGO_URL not set: MongoDB adapter contract suite skipped' },
  async (t) => {
    profileStoreContract(t, async () => {
      const store = new MongoProfileStore(mongoUrl!, { databaseName: `tandem_profile_test_${randomBytes(6).toString('hex')}` })
      await store.init()
      return {
        store,
        async dispose() {
          await store.dropDatabase()
          await store.close()
        },
      }
    })
  },
)

t.test('the database comes from the URL path, else "profile"', async (t) => {
  t.equal(databaseNameOf('mongodb://mongo:27017/profile'), 'profile')
  t.equal(databaseNameOf('mongodb://a:1,b:2/tandem_profile?replicaSet=rs0'), 'tandem_profile')
  t.equal(databaseNameOf('mongodb+srv://user:pw@cluster.example.net/p%20x'), 'p x')
  t.equal(databaseNameOf('mongodb://mongo:27017'), 'profile')
  t.equal(databaseNameOf('mongodb://mongo:27017/?tls=true'), 'profile')
})
