import t from 'tap'
import { encodeEventFrame, type EventMessage } from '../../src/index.ts'

t.test('an event frame carries the revision and the event unchanged', async (t) => {
  const event = { type: 'ViewerJoined', data: { userId: 'ada' }, at: 5, by: 'ada' } as const
  const frame = JSON.parse(encodeEventFrame(7, event)) as EventMessage
  t.same(frame, { type: 'event', revision: 7, event })
})
