import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { DEFAULT_PREFERENCES, ProfileChangesSchema, type ErrorBody, type Preferences, type ProfileChanges, type ProfileView } from '../src/index.ts'

// The profile wire types are the static types of their schemas, exactly as written by hand before.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(..._proof: Equal<A, B> extends true ? [] : [never]): true => true

interface HandPreferences {
  autoSync: boolean
  chatTimestamps: boolean
}
interface HandProfileView {
  userId: string
  displayName: string
  bio: string
  avatarColor: string
  preferences: HandPreferences
  version: number
  updatedAt: string
}
interface HandProfileChanges {
  displayName?: string
  bio?: string
  avatarColor?: string
  preferences?: Partial<HandPreferences>
}

const proofs = [
  same<Preferences, HandPreferences>(),
  same<ProfileView, HandProfileView>(),
  same<ProfileChanges, HandProfileChanges>(),
  same<ErrorBody, { error: { code: string; message: string } }>(),
]

t.test('every profile wire type is its hand-written form', async (t) => {
  t.ok(proofs.every(Boolean), 'checked by the type checker (npm run typecheck)')
})

t.test('the PATCH schema: known fields only, at least one, preferences key by key', async (t) => {
  t.ok(Value.Check(ProfileChangesSchema, { displayName: 'Ada', preferences: { autoSync: false } }))
  t.ok(Value.Check(ProfileChangesSchema, { preferences: DEFAULT_PREFERENCES }))
  t.notOk(Value.Check(ProfileChangesSchema, {}), 'nothing to change')
  t.notOk(Value.Check(ProfileChangesSchema, { role: 'admin' }), 'unknown field')
  t.notOk(Value.Check(ProfileChangesSchema, { preferences: { theme: 'dark' } }), 'unknown preference')
  t.notOk(Value.Check(ProfileChangesSchema, { avatarColor: '#abc' }), 'short colour')
})
