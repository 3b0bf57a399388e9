import t from 'tap'
import { connected, harness } from '../fixtures/connection-harness.ts'

t.test('a socket that goes silent after a ping is given up and replaced', async (t) => {
  const h = harness()
  const socket = await connected(h, 1)
  socket.receive({ type: 'pong', t0: 0, t1: 0, t2: 0 })
  h.timers.advance(9_000)
  t.equal(h.sockets.length, 1, 'pings keep going while nothing answers for a while')
  h.timers.advance(1_500)
  t.same(socket.closedWith?.code, 4001)
  t.equal(h.statuses.at(-1)?.phase, 'retrying')
})
