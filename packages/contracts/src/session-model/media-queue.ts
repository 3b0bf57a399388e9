import type { MediaItem, SessionEventOf } from '../session.ts'

/** An item for a plain URL with no title or subtitles: a session's first video, or a `video` command's. */
export function urlItem(itemId: string, url: string, addedBy: string): MediaItem {
  return { itemId, kind: 'url', url, title: '', subtitlesUrl: null, file: null, addedBy }
}

/** The item a `VideoChanged` starts; changes stored before the queue existed carry only the URL. */
export function playingItemOf(event: SessionEventOf<'VideoChanged'>): MediaItem {
  return event.data.item ?? urlItem(`at${event.at}`, event.data.videoUrl, event.by)
}

/** `queue` with `item` inserted at `index` (at the end if past it); unchanged if the item is queued already. */
export function queueWith(queue: readonly MediaItem[], item: MediaItem, index: number): MediaItem[] {
  if (queue.some((queued) => queued.itemId === item.itemId)) return [...queue]
  const at = Math.max(0, Math.min(index, queue.length))
  return [...queue.slice(0, at), item, ...queue.slice(at)]
}

export function queueWithout(queue: readonly MediaItem[], itemId: string): MediaItem[] {
  return queue.filter((item) => item.itemId !== itemId)
}

/** `queue` with the item `itemId` moved to `index` (clamped to the queue); unchanged if it is not queued. */
export function queueWithMoved(queue: readonly MediaItem[], itemId: string, index: number): MediaItem[] {
  const item = queue.find((queued) => queued.itemId === itemId)
  if (!item) return [...queue]
  return queueWith(queueWithout(queue, itemId), item, index)
}
