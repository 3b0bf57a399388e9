import t from 'tap'
import type { StoredSessionEvent } from '../../src/stream/session-stream.ts'
import { HistoryPager } from '../../src/ws/history-pager.ts'
import { recordingOutput } from '../fixtures/recording-output.ts'

type Page = { events: StoredSessionEvent[]; hasMore: boolean }

/** A pager whose store reads finish only when the test says so. */
function setup() {
  const { out, sent } = recordingOutput()
  const state = { open: true }
  const reads: Array<{ before: number | undefined; finish(page: Page | Error): void }> = []
  const errors: unknown[] = []
  const pager = new HistoryPager(out, {
    read: (before) =>
      new Promise<Page>((resolve, reject) => reads.push({ before, finish: (p) => (p instanceof Error ? reject(p) : resolve(p)) })),
    isOpen: () => state.open,
    onError: (err) => errors.push(err),
  })
  const settle = () => new Promise((r) => setImmediate(r))
  return { pager, sent, reads, errors, state, settle }
}

t.test('pages are read one at a time, in the order asked', async (t) => {
  const s = setup()
  s.pager.request(undefined, 10)
  s.pager.request(13, 10)
  s.pager.request(20, 10)
  await s.settle()
  t.same(s.reads.map((r) => r.before), [undefined], 'one read at a time')
  s.reads[0]!.finish({ events: [], hasMore: true })
  await s.settle()
  t.same(s.reads.map((r) => r.before), [undefined, 13])
  s.reads[1]!.finish(new Error('store down'))
  await s.settle()
  s.reads[2]!.finish({ events: [], hasMore: false })
  await s.settle()
  t.same(s.sent, [
    { type: 'history', events: [], hasMore: true },
    { type: 'error', code: 'internal', message: 'history is unavailable; retry' },
    { type: 'history', events: [], hasMore: false },
  ])
  t.equal(s.errors.length, 1, 'the failed read is reported')
})

t.test('once the socket is not open, pages still waiting are not read', async (t) => {
  const s = setup()
  s.pager.request(30, 10)
  s.pager.request(40, 10)
  await s.settle()
  s.state.open = false
  s.reads[0]!.finish({ events: [], hasMore: true })
  await s.settle()
  t.same(s.reads.map((r) => r.before), [30])
})
