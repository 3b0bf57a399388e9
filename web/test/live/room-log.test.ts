import t from 'tap'
import { RoomLog, replayVisible } from '../../src/lib/live/room-log.ts'
import { GUEST, chat, paused, played, seeked } from '../fixtures/session-frames.ts'

t.test('chat and control marks from live events, each revision once', async (t) => {
  const log = new RoomLog()
  t.ok(log.add([{ revision: 3, event: chat('hello', 1.5, 3_000) }]))
  t.notOk(log.add([{ revision: 3, event: chat('hello', 1.5, 3_000) }]), 'seen before')
  t.notOk(log.add([{ revision: 4, event: { type: 'ViewerJoined', data: { userId: GUEST }, at: 4_000, by: GUEST } }]), 'not shown')
  log.add([
    { revision: 5, event: played(1.5, 5_000) },
    { revision: 6, event: paused(9, 13_000, GUEST) },
    { revision: 7, event: seeked(9, 30, 14_000) },
    { revision: 8, event: { type: 'PlaybackRateChanged', data: { rate: 1.5, position: 30 }, at: 15_000, by: GUEST } },
  ])
  t.same(log.chat(), [{ revision: 3, userId: 'user-host', at: 3_000, messageId: 'm-hello', text: 'hello', videoPosition: 1.5 }])
  t.same(
    log.marks().map((m) => [m.kind, m.userId, m.position, m.from, m.rate]),
    [
      ['play', 'user-host', 1.5, undefined, undefined],
      ['pause', GUEST, 9, undefined, undefined],
      ['seek', 'user-host', 30, 9, undefined],
      ['rate', GUEST, 30, undefined, 1.5],
    ],
  )
})

t.test('history pages merge with live events and move the paging cursor back', async (t) => {
  const log = new RoomLog()
  t.equal(log.nextPageBefore, undefined, 'the first request asks for the newest page')
  t.ok(log.hasMore)
  log.add([{ revision: 12, event: chat('live', 20) }])
  log.addPage(
    [
      { revision: 12, event: chat('live', 20) },
      { revision: 11, event: chat('b', 10) },
      { revision: 10, event: chat('a', 5) },
    ],
    true,
  )
  t.equal(log.nextPageBefore, 10)
  t.ok(log.hasMore)
  log.addPage([{ revision: 0, event: { type: 'SessionCreated', data: { title: 't', videoUrl: 'http://v', hostId: 'h', controlMode: 'everyone' }, at: 0, by: 'h' } }], true)
  t.notOk(log.hasMore, 'revision 0 is the beginning, whatever the page says')
  t.same(log.chat().map((m) => m.text), ['a', 'b', 'live'], 'in the order written')
  const empty = new RoomLog()
  empty.addPage([], false)
  t.notOk(empty.hasMore)
})

t.test('replay shows messages once the video reaches their moment, in video order', async (t) => {
  const log = new RoomLog()
  log.add([
    { revision: 1, event: chat('late in the film, written first', 50) },
    { revision: 2, event: chat('early', 3) },
    { revision: 3, event: chat('same moment, written later', 3) },
  ])
  t.same(replayVisible(log.chat(), 2.9).map((m) => m.text), [])
  t.same(replayVisible(log.chat(), 3).map((m) => m.text), ['early', 'same moment, written later'])
  t.same(replayVisible(log.chat(), 80).map((m) => m.text), ['early', 'same moment, written later', 'late in the film, written first'])
})

t.test('reactions are kept apart from chat, each once, and replay at their moment', async (t) => {
  const log = new RoomLog()
  const react = (emoji: string, videoPosition: number, by = GUEST) => ({ type: 'ReactionSent' as const, data: { emoji, videoPosition }, at: 20_000, by })
  t.ok(log.add([{ revision: 4, event: react('🎉', 12) }]))
  t.notOk(log.add([{ revision: 4, event: react('🎉', 12) }]), 'seen before')
  log.addPage([{ revision: 2, event: react('👍', 3, 'user-host') }, { revision: 1, event: chat('hi', 2) }], false)
  t.same(log.reactions(), [
    { revision: 2, userId: 'user-host', at: 20_000, emoji: '👍', videoPosition: 3 },
    { revision: 4, userId: GUEST, at: 20_000, emoji: '🎉', videoPosition: 12 },
  ])
  t.same(log.chat().map((m) => m.text), ['hi'], 'no reaction in the chat')
  t.same(log.marks(), [])
  t.same(replayVisible(log.reactions(), 11.9).map((r) => r.emoji), ['👍'])
  t.same(replayVisible(log.reactions(), 12).map((r) => r.emoji), ['👍', '🎉'])
})
