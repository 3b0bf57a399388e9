import t from 'tap'
import { AppliedCommands } from '../../src/live/applied-commands.ts'
import type { StoredSessionEvent } from '../../src/stream/session-stream.ts'

const stored = (revision: number, by: string, commandId: string | null): StoredSessionEvent => ({
  revision,
  commandId,
  event: { type: 'ViewerJoined', data: { userId: by }, at: revision, by },
})

t.test('a command is known by its user and its id, at the revision of its last event', async (t) => {
  const applied = new AppliedCommands()
  applied.record(stored(3, 'alice', 'c-1'))
  applied.record(stored(4, 'alice', 'c-1'))
  applied.record(stored(5, 'bob', null))
  t.equal(applied.revisionOf('alice', 'c-1'), 4)
  t.equal(applied.revisionOf('bob', 'c-1'), undefined, 'the same id from someone else is another command')
  t.equal(applied.revisionOf('alice', 'c-2'), undefined)
})

t.test('only the latest commands are remembered', async (t) => {
  const applied = new AppliedCommands(3)
  applied.record(stored(0, 'alice', 'old'))
  applied.record(stored(1, 'alice', 'kept'))
  applied.record(stored(2, 'alice', 'old-but-seen-again'))
  applied.record(stored(3, 'alice', 'kept'))
  applied.record(stored(4, 'alice', 'new'))
  t.equal(applied.revisionOf('alice', 'old'), undefined, 'the oldest is forgotten')
  t.equal(applied.revisionOf('alice', 'kept'), 3, 'recording a command again makes it recent')
  t.equal(applied.revisionOf('alice', 'old-but-seen-again'), 2)
  t.equal(applied.revisionOf('alice', 'new'), 4)
})
