import t from 'tap'
import type { PresenceViewer } from '@tandem/contracts'
import { bufferingNote } from '../../src/lib/live/buffering-note.ts'

const viewer = (userId: string, buffering: boolean): PresenceViewer => ({ userId, position: 12, buffering, reportedAt: 1 })
const names: Record<string, string> = { me: 'Ada', b: 'Ben', c: 'Cleo', d: 'Dan', e: 'Eve' }
const nameOf = (id: string) => names[id] ?? 'someone'

t.test('nobody else buffering: no note', async (t) => {
  t.equal(bufferingNote([], 'me', nameOf), null)
  t.equal(bufferingNote([viewer('me', true), viewer('b', false)], 'me', nameOf), null, 'the viewer themself is not listed')
})

t.test('one, two, and more people buffering', async (t) => {
  t.equal(bufferingNote([viewer('b', true), viewer('c', false)], 'me', nameOf), 'Ben is buffering…')
  t.equal(bufferingNote([viewer('c', true), viewer('b', true)], 'me', nameOf), 'Ben and Cleo are buffering…', 'in alphabetical order')
  t.equal(bufferingNote(['e', 'c', 'd'].map((id) => viewer(id, true)), 'me', nameOf), 'Cleo, Dan and 1 other are buffering…')
  t.equal(bufferingNote(['e', 'c', 'd', 'b'].map((id) => viewer(id, true)), 'me', nameOf), 'Ben, Cleo and 2 others are buffering…')
})

t.test('someone watching in two tabs counts once', async (t) => {
  t.equal(bufferingNote([viewer('b', true), viewer('b', true)], 'me', nameOf), 'Ben is buffering…')
})
