import type { MediaItem } from '@tandem/contracts'

/** The MIME types an HLS playlist is served as (RFC 8216 and the older names still in use). */
const HLS_MIME_TYPES = ['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl', 'audio/x-mpegurl']

/** How the player loads an item. */
export type SourcePlan =
  /** a video file the element loads itself */
  | { type: 'file'; url: string }
  /** an HLS playlist: hls.js over Media Source Extensions, or the browser's own HLS */
  | { type: 'hls'; url: string }
  /** kind local: the viewer's own copy of `file`, which they have to open first */
  | { type: 'local'; file: NonNullable<MediaItem['file']> }

/** An address whose path ends in `.m3u8` (any query or fragment aside). */
export function isHlsUrl(url: string): boolean {
  try {
    return new URL(url).pathname.toLowerCase().endsWith('.m3u8')
  } catch {
    return false
  }
}

export function isHlsMimeType(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return HLS_MIME_TYPES.includes(type)
}

/** The start of an HLS playlist (RFC 8216 §4.3.1.1), after an optional byte order mark. */
export function looksLikeHlsPlaylist(text: string): boolean {
  return text.replace(/^\uFEFF/, '').startsWith('#EXTM3U')
}

export function sourcePlan(item: MediaItem): SourcePlan {
  if (item.kind === 'local' && item.file) return { type: 'local', file: item.file }
  return isHlsUrl(item.url) ? { type: 'hls', url: item.url } : { type: 'file', url: item.url }
}

/**
 * How an HLS playlist is played here: hls.js wherever Media Source Extensions exist (one player,
 * with the same seeking and error reporting, in every desktop browser), the browser's own HLS
 * where they do not (older iPhones), and not at all otherwise.
 */
export function hlsPlayback(mseSupported: boolean, nativeHls: string): 'hls.js' | 'native' | 'none' {
  if (mseSupported) return 'hls.js'
  return nativeHls !== '' ? 'native' : 'none'
}
