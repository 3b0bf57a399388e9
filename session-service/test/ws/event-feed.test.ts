import t from 'tap'
import { encodeEventFrame, type WelcomeMessage } from '@tandem/contracts'
import type { SessionEventListener } from '../../src/live/live-session.ts'
import type { StoredSessionEvent } from '../../src/stream/session-stream.ts'
import { EventFeed } from '../../src/ws/event-feed.ts'
import { recordingOutput } from '../fixtures/recording-output.ts'

const stored = (revision: number): StoredSessionEvent => ({
  revision,
  commandId: `c${revision}`,
  event: { type: 'ViewerJoined', data: { userId: `u${revision}` }, at: revision, by: `u${revision}` },
})
const welcomeAt = (revision: number) => ({ type: 'welcome', revision, serverTime: 0, userId: 'u', state: {} }) as unknown as WelcomeMessage

/** A live session reduced to its listeners, and a store holding revisions 0..9. */
function setup(maxHeldEvents = 100) {
  const { out, sent } = recordingOutput()
  const listeners: SessionEventListener[] = []
  const live = { onEvent: (l: SessionEventListener) => (listeners.push(l), () => listeners.splice(listeners.indexOf(l), 1)) }
  const emit = (revision: number) => listeners.forEach((l) => l(stored(revision), Buffer.from(encodeEventFrame(revision, stored(revision).event))))
  const reads: Array<[number, number]> = []
  let overflows = 0
  const feed = new EventFeed(out, {
    readAfter: async (after, maxCount) => {
      reads.push([after, maxCount])
      return Array.from({ length: Math.max(0, Math.min(maxCount, 9 - after)) }, (_, i) => stored(after + 1 + i))
    },
    isOpen: () => true,
    onOverflow: () => overflows++,
    maxHeldEvents,
    maxBufferedBytes: 1024 * 1024,
  })
  /** What the client received, e.g. `welcome 9`, `event 10`, `ack c10`. */
  const kinds = () =>
    (sent as Array<{ type: string; revision?: number; id?: string }>).map((f) => (f.type === 'ack' ? `ack ${f.id}` : `${f.type} ${f.revision}`))
  return { feed, live, emit, reads, kinds, listeners, overflows: () => overflows }
}

t.test('a client that is up to date gets the welcome, then the live events', async (t) => {
  const s = setup()
  s.feed.follow(s.live, 9, welcomeAt(9))
  await s.feed.replay()
  s.emit(10)
  t.same(s.kinds(), ['welcome 9', 'event 10'])
  t.same(s.reads, [], 'nothing read from the store')
  s.feed.stop()
  t.equal(s.listeners.length, 0, 'stop() stops following')
})

t.test('a client behind gets what it missed from the store, then what arrived meanwhile, acks in event order', async (t) => {
  const s = setup()
  s.feed.follow(s.live, 4, welcomeAt(9))
  s.emit(10)
  s.feed.deliver(JSON.stringify({ type: 'ack', id: 'c10', revision: 10 }))
  t.same(s.kinds(), ['welcome 9'], 'live frames wait for the replay')
  await s.feed.replay()
  t.same(s.kinds(), ['welcome 9', 'event 5', 'event 6', 'event 7', 'event 8', 'event 9', 'event 10', 'ack c10'])
  t.same(s.reads, [[4, 5]], 'only the missing revisions are read')
})

t.test('since beyond the welcome counts as up to date', async (t) => {
  const s = setup()
  s.feed.follow(s.live, 50, welcomeAt(9))
  await s.feed.replay()
  t.same(s.kinds(), ['welcome 9'])
})

t.test('more live frames than may be held during a replay: the client is cut off', async (t) => {
  const s = setup(2)
  s.feed.follow(s.live, -1, welcomeAt(9))
  for (const r of [10, 11, 12]) s.emit(r)
  t.equal(s.overflows(), 1)
})
