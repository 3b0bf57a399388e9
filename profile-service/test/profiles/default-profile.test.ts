import t from 'tap'
import { defaultProfile } from '../../src/profiles/default-profile.ts'
import { avatarColorFor } from '../../src/profiles/avatar-color.ts'

const now = new Date('2026-05-01T00:00:00Z')

t.test('a new user starts with the registration name, a derived colour and default preferences', async (t) => {
  t.same(defaultProfile({ userId: 'u1', displayName: ' Ada ' }, now), {
    userId: 'u1',
    displayName: 'Ada',
    bio: '',
    avatarColor: avatarColorFor('u1'),
    preferences: { autoSync: true, chatTimestamps: true },
    version: 1,
    updatedAt: now,
  })
})

t.test('a registration name this service would refuse is cleaned up, not dropped', async (t) => {
  t.equal(defaultProfile({ userId: 'u', displayName: 'Ada\nLovelace' }, now).displayName, 'Ada Lovelace')
  t.equal(defaultProfile({ userId: 'u', displayName: 'x'.repeat(60) }, now).displayName, 'x'.repeat(40))
  t.equal(defaultProfile({ userId: 'u', displayName: '\u0000\u0001' }, now).displayName, 'Viewer')
  t.equal(defaultProfile({ userId: 'u', displayName: '' }, now).displayName, 'Viewer')
})
