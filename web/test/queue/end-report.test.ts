import t from 'tap'
import { shouldReportEnd } from '../../src/lib/queue/end-report.ts'

t.test('an end is reported once, when the shared timeline reaches it while playing', async (t) => {
  const at = (sharedPosition: number, more: Partial<Parameters<typeof shouldReportEnd>[0]> = {}) =>
    shouldReportEnd({ playing: true, duration: 120, sharedPosition, reported: false, ...more })
  t.ok(at(120))
  t.ok(at(119.6), 'within half a second of the end')
  t.notOk(at(118), 'a player that ran ahead waits for the shared clock')
  t.notOk(at(120, { reported: true }), 'once per item')
  t.notOk(at(120, { playing: false }), 'a paused session has not ended an item')
  t.notOk(at(120, { duration: undefined }), 'the length is not known yet')
  t.notOk(at(120, { duration: Number.POSITIVE_INFINITY }), 'a live stream has no end')
})
