import t from 'tap'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { PostgresProfileStore } from '../../src/adapters/postgres-profile-store.ts'
import { profileStoreContract } from '../fixtures/profile-store-contract.ts'

t.test('PostgreSQL adapter contract suite', async (t) => {
  profileStoreContract(t, async () => {
    const db = await createTestDatabase('tandem_profile_test')
    const store = new PostgresProfileStore(db.url)
    await store.init()
    return {
      store,
      async dispose() {
        await store.close()
        await db.drop()
      },
    }
  })
})

t.test('init from two replicas at once migrates once', async (t) => {
  const db = await createTestDatabase('tandem_profile_test')
  const stores = [new PostgresProfileStore(db.url), new PostgresProfileStore(db.url)]
  t.teardown(async () => {
    for (const s of stores) await s.close()
    await db.drop()
  })
  await Promise.all(stores.map((s) => s.init()))
  await t.resolves(stores[0]!.findById('nobody'))
})
