import { execFile } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The video every session starts with; the test media are made from it. */
export const SAMPLE_VIDEO = fileURLToPath(new URL('../static/media/sample.webm', import.meta.url))
/** Made once per machine (a new recipe gets a new folder); `.run/` is not committed. */
const CACHE = fileURLToPath(new URL('../../.run/test-media/v1/', import.meta.url))

/** Seconds of the short clip. */
export const CLIP_SECONDS = 4
/** Seconds each subtitle cue lasts; the cues cover the whole sample video. */
export const CUE_SECONDS = 4

export interface TestMedia {
  /** the folder of the files */
  dir: string
  /** `hls/index.m3u8`: the sample as HLS, fMP4 segments of 4 s with its VP9 and Opus as they are */
  hls: string
  /** `subtitles.vtt`: "Line 1", "Line 2", … one cue per 4 s over the two minutes */
  subtitles: string
  /** `clip.webm`: 4 s of the sample (from 0:10) */
  clip: string
  /** `not-subtitles.srt`: SubRip, which a `<track>` cannot read */
  notSubtitles: string
}

function pathsIn(dir: string): TestMedia {
  return {
    dir,
    hls: join(dir, 'hls', 'index.m3u8'),
    subtitles: join(dir, 'subtitles.vtt'),
    clip: join(dir, 'clip.webm'),
    notSubtitles: join(dir, 'not-subtitles.srt'),
  }
}

/** The test media, made with ffmpeg the first time (a few seconds: nothing is re-encoded but the clip). */
export async function ensureTestMedia(): Promise<TestMedia> {
  if (existsSync(join(CACHE, 'done'))) return pathsIn(CACHE)
  const building = `${CACHE.replace(/\/$/, '')}.${process.pid}.${Date.now()}`
  mkdirSync(join(building, 'hls'), { recursive: true })
  const media = pathsIn(building)
  const ffmpeg = (...args: string[]) => run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args])
  await ffmpeg(
    '-i', SAMPLE_VIDEO, '-c', 'copy',
    '-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_time', '4', '-hls_playlist_type', 'vod',
    '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(building, 'hls', 'seg%03d.m4s'),
    media.hls,
  )
  // re-encoded, so that it starts on a key frame and lasts exactly 4 s
  await ffmpeg('-ss', '10', '-i', SAMPLE_VIDEO, '-t', String(CLIP_SECONDS), '-c:v', 'libvpx-vp9', '-b:v', '110k', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-b:a', '24k', media.clip)
  writeFileSync(media.subtitles, webVtt(120))
  writeFileSync(media.notSubtitles, '1\n00:00:00,000 --> 00:00:04,000\nLine 1\n')
  writeFileSync(join(building, 'done'), '')
  mkdirSync(join(CACHE, '..'), { recursive: true })
  try {
    renameSync(building, CACHE)
  } catch (error) {
    // another test made them at the same time: theirs are as good
    rmSync(building, { recursive: true, force: true })
    if (!existsSync(join(CACHE, 'done'))) throw error
  }
  return pathsIn(CACHE)
}

function webVtt(seconds: number): string {
  const stamp = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000`
  const cues = []
  for (let start = 0, n = 1; start < seconds; start += CUE_SECONDS, n++) cues.push(`${stamp(start)} --> ${stamp(start + CUE_SECONDS)}\nLine ${n}\n`)
  return `WEBVTT\n\n${cues.join('\n')}`
}

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt',
  '.srt': 'application/x-subrip',
}

export interface MediaServer {
  /** http://127.0.0.1:<port>: another origin than the web server's */
  url: string
  stop(): Promise<void>
}

/**
 * Serves `dir` on another loopback port, as a CDN would: anyone may read it (CORS
 * `Access-Control-Allow-Origin: *`), and byte ranges are answered (the element seeks by them).
 */
export async function serveMedia(dir: string): Promise<MediaServer> {
  const server = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', '*')
    response.setHeader('access-control-expose-headers', 'content-length, content-range')
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
    const file = join(dir, path)
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end()
      return
    }
    const size = statSync(file).size
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '')
    if (range) {
      const start = range[1] ? Number(range[1]) : size - Number(range[2])
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
      response.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes' })
      createReadStream(file, { start, end }).pipe(response)
      return
    }
    response.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' })
    createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
