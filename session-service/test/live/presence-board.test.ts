import t from 'tap'
import { PresenceBoard } from '../../src/live/presence-board.ts'

t.test('local connections, one entry per user', async (t) => {
  const board = new PresenceBoard()
  // with no other replica announced, everyone is this replica's viewers
  const localViewers = () => board.viewers(0)
  board.addConnection('c1', 'bob')
  board.addConnection('c2', 'alice')
  board.addConnection('c3', 'alice')
  t.same(localViewers(), [
    { userId: 'alice', position: null, buffering: false, reportedAt: null },
    { userId: 'bob', position: null, buffering: false, reportedAt: null },
  ])
  board.report('c2', 10, false, 1000)
  board.report('c3', 12, true, 2000)
  t.same(localViewers()[0], { userId: 'alice', position: 12, buffering: true, reportedAt: 2000 }, 'latest position, buffering if any tab buffers')
  board.removeConnection('c3')
  t.same(localViewers()[0], { userId: 'alice', position: 10, buffering: false, reportedAt: 1000 })
})

t.test('other replicas: merged while fresh, gone when stale or emptied', async (t) => {
  const board = new PresenceBoard()
  board.addConnection('c1', 'alice')
  board.setRemote('r2', [{ userId: 'carol', position: 5, buffering: false, reportedAt: 10 }], 1000)
  board.setRemote('r3', [{ userId: 'alice', position: 7, buffering: true, reportedAt: 20 }], 5000)
  t.same(board.viewers(500).map((v) => v.userId), ['alice', 'carol'])
  t.same(board.viewers(500)[0], { userId: 'alice', position: 7, buffering: true, reportedAt: 20 })
  t.same(board.viewers(2000).map((v) => v.userId), ['alice'], 'r2 expired')
  board.setRemote('r3', [], 9000)
  t.same(board.viewers(2000), [{ userId: 'alice', position: null, buffering: false, reportedAt: null }])
})
