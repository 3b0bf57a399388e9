import t from 'tap'
import { DEFAULT_SOUND, clampVolume, elementVolume, parseSound, serializeSound } from '../../src/lib/live/device-sound.ts'

t.test('what was stored comes back', async (t) => {
  t.same(parseSound(serializeSound({ volume: 35, muted: true })), { volume: 35, muted: true })
  t.same(parseSound(serializeSound({ volume: 0, muted: false })), { volume: 0, muted: false }, 'silence is a volume, not a missing one')
})

t.test('nothing stored, or something not understood: full volume, not muted', async (t) => {
  t.same(parseSound(null), DEFAULT_SOUND)
  t.same(parseSound('not json'), DEFAULT_SOUND)
  t.same(parseSound('null'), DEFAULT_SOUND)
  t.same(parseSound('{"volume":"loud","muted":"yes"}'), DEFAULT_SOUND)
  t.same(parseSound('{"muted":true}'), { volume: 100, muted: true }, 'each field on its own')
})

t.test('volumes stay whole numbers from 0 to 100', async (t) => {
  t.equal(clampVolume(250), 100)
  t.equal(clampVolume(-4), 0)
  t.equal(clampVolume(42.6), 43)
  t.equal(clampVolume(Number.NaN), 100)
  t.same(parseSound('{"volume":1000,"muted":false}'), { volume: 100, muted: false })
  t.equal(elementVolume(35), 0.35)
  t.equal(elementVolume(-1), 0)
})
