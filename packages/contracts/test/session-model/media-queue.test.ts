import t from 'tap'
import { playingItemOf, queueWith, queueWithMoved, queueWithout, urlItem, type MediaItem } from '../../src/index.ts'

const item = (itemId: string): MediaItem => urlItem(itemId, `https://v.example/${itemId}.mp4`, 'host')
const ids = (queue: readonly MediaItem[]) => queue.map((i) => i.itemId)
const abc = [item('a'), item('b'), item('c')]

t.test('a URL item has no title, subtitles or file', async (t) => {
  t.same(urlItem('r4', 'https://v.example/x.mp4', 'ada'), { itemId: 'r4', kind: 'url', url: 'https://v.example/x.mp4', title: '', subtitlesUrl: null, file: null, addedBy: 'ada' })
})

t.test('queueWith inserts at the index, clamped to the queue, and never twice', async (t) => {
  t.same(ids(queueWith(abc, item('x'), 0)), ['x', 'a', 'b', 'c'])
  t.same(ids(queueWith(abc, item('x'), 2)), ['a', 'b', 'x', 'c'])
  t.same(ids(queueWith(abc, item('x'), 3)), ['a', 'b', 'c', 'x'])
  t.same(ids(queueWith(abc, item('x'), 99)), ['a', 'b', 'c', 'x'], 'past the end: at the end')
  t.same(ids(queueWith(abc, item('x'), -5)), ['x', 'a', 'b', 'c'], 'before the start: at the start')
  t.same(ids(queueWith(abc, item('b'), 0)), ['a', 'b', 'c'], 'an item already queued (a replayed event) stays where it is')
  t.same(ids(queueWith([], item('x'), 4)), ['x'])
})

t.test('queueWithout removes the item; an unknown one changes nothing', async (t) => {
  t.same(ids(queueWithout(abc, 'b')), ['a', 'c'])
  t.same(ids(queueWithout(abc, 'zz')), ['a', 'b', 'c'])
})

t.test('queueWithMoved moves the item to the index among the others', async (t) => {
  t.same(ids(queueWithMoved(abc, 'c', 0)), ['c', 'a', 'b'])
  t.same(ids(queueWithMoved(abc, 'a', 2)), ['b', 'c', 'a'])
  t.same(ids(queueWithMoved(abc, 'a', 1)), ['b', 'a', 'c'])
  t.same(ids(queueWithMoved(abc, 'b', 1)), ['a', 'b', 'c'])
  t.same(ids(queueWithMoved(abc, 'a', 50)), ['b', 'c', 'a'], 'clamped to the end')
  t.same(ids(queueWithMoved(abc, 'zz', 0)), ['a', 'b', 'c'], 'an unknown item changes nothing')
})

t.test('the helpers never change the queue they are given', async (t) => {
  const queue = Object.freeze([...abc])
  queueWith(queue, item('x'), 1)
  queueWithout(queue, 'a')
  queueWithMoved(queue, 'c', 0)
  t.same(ids(queue), ['a', 'b', 'c'])
})

t.test('the item a VideoChanged plays: its own, or a URL item for a change stored before the queue existed', async (t) => {
  const x = { ...item('r7'), title: 'Seven' }
  t.same(playingItemOf({ type: 'VideoChanged', data: { videoUrl: x.url, item: x, reason: 'chosen', playing: true }, at: 5, by: 'host' }), x)
  t.same(playingItemOf({ type: 'VideoChanged', data: { videoUrl: 'https://v.example/old.mp4' }, at: 5_000, by: 'ada' }), urlItem('at5000', 'https://v.example/old.mp4', 'ada'))
})
