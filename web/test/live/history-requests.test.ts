import t from 'tap'
import { settle } from '../fixtures/fake-timers.ts'
import { connected, harness } from '../fixtures/connection-harness.ts'
import { chat, welcome } from '../fixtures/session-frames.ts'

t.test('history pages are asked for one at a time, and again after a reconnect', async (t) => {
  const h = harness()
  await connected(h, 300)
  const newest = h.connection.history(undefined, 200)
  const older = h.connection.history(101, 200)
  t.same(h.socket().sentOf('history'), [{ type: 'history', limit: 200 }], 'one request in flight')
  h.socket().receive({ type: 'history', events: [{ revision: 300, event: chat('a', 1) }], hasMore: true })
  t.equal((await newest).events.length, 1)
  t.same(h.socket().sentOf('history').at(-1), { type: 'history', before: 101, limit: 200 }, 'then the next')
  h.socket().drop(1006)
  h.timers.advance(500)
  await settle()
  h.socket().open()
  h.socket().receive(welcome(300))
  t.same(h.socket().sentOf('history'), [{ type: 'history', before: 101, limit: 200 }], 'the unanswered request is repeated')
  h.socket().receive({ type: 'history', events: [], hasMore: false })
  t.same(await older, { type: 'history', events: [], hasMore: false })
})
