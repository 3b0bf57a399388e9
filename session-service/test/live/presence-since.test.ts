import t from 'tap'
import { PresenceBoard } from '../../src/live/presence-board.ts'

const viewer = (userId: string, since?: number) => ({ userId, position: null, buffering: false, reportedAt: null, ...(since !== undefined ? { since } : {}) })

t.test('announcements carry since: the earliest open connection of each user on this replica', async (t) => {
  const board = new PresenceBoard()
  board.addConnection('c1', 'alice', 300)
  board.addConnection('c2', 'alice', 100)
  board.addConnection('c3', 'bob', 200)
  t.same(board.announcement(), [viewer('alice', 100), viewer('bob', 200)])
  board.removeConnection('c2')
  t.same(board.announcement(), [viewer('alice', 300), viewer('bob', 200)], 'the earliest connection still open')
  t.same(board.viewers(0), [viewer('alice'), viewer('bob')], 'browsers get presence without since')
})

t.test('present: everyone on every replica, longest present first, merged by earliest since', async (t) => {
  const board = new PresenceBoard()
  board.addConnection('c1', 'alice', 500)
  board.setRemote('r2', [viewer('bob', 300), viewer('alice', 400)], 10_000)
  board.setRemote('r3', [viewer('carol', 100), viewer('dave')], 1_000)
  t.same(board.present(0), ['carol', 'bob', 'alice', 'dave'], 'unknown since (an older replica) ranks last')
  t.same(board.present(2_000), ['bob', 'alice'], "r3's announcement expired")
})

t.test('presentUntil: for ever on this replica, else until the announcements listing them expire', async (t) => {
  const board = new PresenceBoard()
  board.addConnection('c1', 'alice', 1)
  board.setRemote('r2', [viewer('alice', 2), viewer('bob', 2)], 1_000)
  board.setRemote('r3', [viewer('bob', 3)], 5_000)
  t.equal(board.presentUntil('alice', 0), Infinity)
  t.equal(board.presentUntil('bob', 0), 5_000)
  t.equal(board.presentUntil('bob', 6_000), null)
  t.equal(board.presentUntil('carol', 0), null)
  t.ok(board.knowsReplica('r2', 500))
  t.notOk(board.knowsReplica('r2', 2_000), 'not once its announcement expired')
  board.setRemote('r3', [], 9_000)
  t.notOk(board.knowsReplica('r3', 0), 'nor once it said its viewers left')
})
