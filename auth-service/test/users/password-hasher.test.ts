import t from 'tap'
import { createPasswordHasher } from '../../src/users/password-hasher.ts'

t.test('argon2id with the configured cost; verification is exact', async (t) => {
  const hasher = await createPasswordHasher({ memoryCostKib: 2048, timeCost: 2, parallelism: 1 })
  const hash = await hasher.hash('correct horse battery staple')
  t.match(hash, /^\$argon2id\$v=19\$m=2048,t=2,p=1\$/)
  t.not(await hasher.hash('correct horse battery staple'), hash, 'salted: the same password hashes differently')
  t.equal(await hasher.verify(hash, 'correct horse battery staple'), true)
  t.equal(await hasher.verify(hash, 'correct horse battery stapl'), false)
  t.equal(await hasher.verify(hash, 'Correct horse battery staple'), false)
  t.equal(await hasher.verify('not a hash', 'anything'), false, 'a corrupt stored hash is a failed check, not a crash')
  t.equal(await hasher.verifyUnknownUser('correct horse battery staple'), false)
  t.equal(hasher.needsRehash(hash), false)
})

t.test('a hash made with other parameters needs rehashing', async (t) => {
  const weak = await createPasswordHasher({ memoryCostKib: 1024, timeCost: 1, parallelism: 1 })
  const strong = await createPasswordHasher({ memoryCostKib: 2048, timeCost: 2, parallelism: 1 })
  const hash = await weak.hash('some password')
  t.equal(strong.needsRehash(hash), true)
  t.equal(await strong.verify(hash, 'some password'), true, 'but it still verifies')
})
