import type { MediaItem } from '@tandem/contracts'
import { videoLabel } from '../video-label.ts'

/** What an item is called in a list: its title, else a label from its URL, else the local file's name. */
export function itemLabel(item: MediaItem): string {
  if (item.title !== '') return item.title
  if (item.kind === 'local') return item.file?.name ?? 'a local file'
  return item.url === '' ? 'a video' : videoLabel(item.url)
}

export type ItemBadge = 'HLS' | 'local file' | 'subtitles'

/** Short tags next to an item: how it is played, and whether it has subtitles. */
export function itemBadges(item: MediaItem): ItemBadge[] {
  const badges: ItemBadge[] = []
  if (item.kind === 'local') badges.push('local file')
  else if (isHlsUrl(item.url)) badges.push('HLS')
  if (item.subtitlesUrl !== null) badges.push('subtitles')
  return badges
}

/** Whether `url` names an HLS playlist (`.m3u8`), which chromium cannot play natively. */
export function isHlsUrl(url: string): boolean {
  try {
    return new URL(url).pathname.toLowerCase().endsWith('.m3u8')
  } catch {
    return false
  }
}
