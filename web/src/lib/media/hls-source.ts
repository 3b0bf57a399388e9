import { hlsPlayback } from './source-kind.ts'
import type { HlsErrorData } from './source-error.ts'

/** An HLS playlist playing in a video element; `stop` lets go of it (hls.js is destroyed). */
export type HlsPlayback = { stop(): void } | { unsupported: true }

/**
 * Plays the HLS playlist `url` in `video`. hls.js is imported on first use only, so a page that
 * plays no HLS never loads it. It runs without a Web Worker: the page's Content-Security-Policy
 * allows no blob: workers, and fMP4 segments need no transmuxing. `onFatal` hears an error
 * hls.js cannot recover from (it is destroyed then).
 */
export async function playHls(video: HTMLVideoElement, url: string, onFatal: (data: HlsErrorData) => void): Promise<HlsPlayback> {
  const { default: Hls } = await import('hls.js')
  const way = hlsPlayback(Hls.isSupported(), video.canPlayType('application/vnd.apple.mpegurl'))
  if (way === 'none') return { unsupported: true }
  if (way === 'native') {
    video.src = url
    return { stop: () => {} }
  }
  const hls = new Hls({ enableWorker: false })
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return
    hls.destroy()
    onFatal(data)
  })
  hls.loadSource(url)
  hls.attachMedia(video)
  return { stop: () => hls.destroy() }
}
