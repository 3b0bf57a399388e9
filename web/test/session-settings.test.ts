import t from 'tap'
import { settingsFrom } from '../src/lib/session-settings.ts'

const form = (fields: Record<string, string>): FormData => {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.set(name, value)
  return data
}

t.test('the settings form becomes a PATCH of the settings it names', async (t) => {
  t.same(settingsFrom(form({ visibility: 'public' })), { visibility: 'public' })
  t.same(settingsFrom(form({ visibility: 'private' })), { visibility: 'private' })
  t.same(settingsFrom(form({ membersMayInvite: 'true' })), { membersMayInvite: true })
  t.same(settingsFrom(form({ membersMayInvite: 'false' })), { membersMayInvite: false })
  t.same(settingsFrom(form({ visibility: 'public', membersMayInvite: 'false' })), { visibility: 'public', membersMayInvite: false })
})

t.test('nothing, or a value the contract does not know, sends nothing', async (t) => {
  t.equal(settingsFrom(form({})), null)
  t.equal(settingsFrom(form({ visibility: 'secret' })), null)
  t.equal(settingsFrom(form({ membersMayInvite: 'on' })), null)
  t.equal(settingsFrom(form({ visibility: 'public', membersMayInvite: 'yes' })), null, 'one bad value spoils the form')
  t.equal(settingsFrom(form({ title: 'x' })), null)
})
