import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { DEFAULT_PREFERENCES, ProfileChangesSchema } from '../src/index.ts'

t.test('the PATCH schema: known fields only, at least one, preferences key by key', async (t) => {
  t.ok(Value.Check(ProfileChangesSchema, { displayName: 'Ada', preferences: { autoSync: false } }))
  t.ok(Value.Check(ProfileChangesSchema, { preferences: DEFAULT_PREFERENCES }))
  t.notOk(Value.Check(ProfileChangesSchema, {}), 'nothing to change')
  t.notOk(Value.Check(ProfileChangesSchema, { role: 'admin' }), 'unknown field')
  t.notOk(Value.Check(ProfileChangesSchema, { preferences: { theme: 'dark' } }), 'unknown preference')
  t.notOk(Value.Check(ProfileChangesSchema, { avatarColor: '#abc' }), 'short colour')
})
