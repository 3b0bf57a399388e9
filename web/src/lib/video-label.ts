import type { LobbyNowPlaying } from '@tandem/contracts'

/**
 * What a session plays, in a few words for a list: the video's file name, or the host of its
 * address when the address names no file (a page such as https://example.com/).
 */
export function videoLabel(videoUrl: string): string {
  let url: URL
  try {
    url = new URL(videoUrl)
  } catch {
    return videoUrl
  }
  const file = url.pathname.split('/').filter(Boolean).at(-1)
  if (!file) return url.host
  try {
    return decodeURIComponent(file)
  } catch {
    return file
  }
}

/** What a listed session plays, in a few words: its title, else the file its URL names, else the local file's name. */
export function playingLabel(nowPlaying: Pick<LobbyNowPlaying, 'title' | 'url' | 'fileName'>): string {
  if (nowPlaying.title !== '') return nowPlaying.title
  if (nowPlaying.url !== '') return videoLabel(nowPlaying.url)
  return nowPlaying.fileName ?? ''
}
