/**
 * Plays web/static/media/sample.webm in Debian's headless chromium and measures what the sync
 * engine has to live with: whether it plays at all, how long seeks take (buffered and not),
 * how long play() takes to move the position, and how fast the element really plays compared
 * with the page clock. docs/sync.md quotes the output.
 *
 *   npx tsx web/scripts/measure-chromium-media.ts
 */
import { createReadStream, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { launchChromium, newPage } from '../e2e/chromium.ts'

const videoPath = fileURLToPath(new URL('../static/media/sample.webm', import.meta.url))

/** Serves the video with Range support (browsers seek with range requests) and an empty page. */
function serve(): Promise<Server> {
  const size = statSync(videoPath).size
  const server = createServer((req, res) => {
    if (req.url !== '/sample.webm') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>media</title>')
      return
    }
    const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
    if (!range) {
      res.writeHead(200, { 'content-type': 'video/webm', 'content-length': size, 'accept-ranges': 'bytes' })
      createReadStream(videoPath).pipe(res)
      return
    }
    const start = range[1] ? Number(range[1]) : 0
    const end = range[2] ? Number(range[2]) : size - 1
    res.writeHead(206, {
      'content-type': 'video/webm',
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
    })
    createReadStream(videoPath, { start, end }).pipe(res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const step = (text: string): void => {
  process.stderr.write(`  ${text}\n`)
}

const server = await serve()
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const browser = await launchChromium()
try {
  const page = await newPage(browser)
  await page.goto(base)
  step(`chromium ${browser.version()}: loading the sample`)
  const result = await page.evaluate(async (src) => {
    const video = document.createElement('video')
    video.src = src
    video.preload = 'auto'
    document.body.append(video)
    const once = (name: string) => new Promise<void>((resolve) => video.addEventListener(name, () => resolve(), { once: true }))
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const error = new Promise<string>((resolve) => video.addEventListener('error', () => resolve(String(video.error?.message ?? video.error?.code))))
    const loaded = await Promise.race([once('canplay').then(() => 'ok'), error, sleep(10_000).then(() => 'timeout')])
    if (loaded !== 'ok') return { playable: false as const, reason: loaded }
    const canPlayType = video.canPlayType('video/webm; codecs="vp9, opus"')

    // play() → first movement of currentTime
    let t0 = performance.now()
    await video.play()
    const startPos = video.currentTime
    while (video.currentTime === startPos) await sleep(1)
    const startLatencyMs = performance.now() - t0

    // speed: currentTime against the page clock over 8 s
    await sleep(500)
    const a = { wall: performance.now(), media: video.currentTime }
    await sleep(8000)
    const b = { wall: performance.now(), media: video.currentTime }
    const speedError = (b.media - a.media) / ((b.wall - a.wall) / 1000) - 1

    // seeks while playing: time to `seeked`, then until currentTime moves again
    const seeks: Array<{ target: number; buffered: boolean; seekedMs: number; movingMs: number; landedAt: number }> = []
    const targets = [20, 10.5, 90, 45.25, 100, 30, 115, 60, 61, 5, 75.5, 76]
    for (const target of targets) {
      let buffered = false
      for (let i = 0; i < video.buffered.length; i++) {
        if (video.buffered.start(i) <= target && target < video.buffered.end(i)) buffered = true
      }
      t0 = performance.now()
      const seeked = once('seeked')
      video.currentTime = target
      await seeked
      const seekedMs = performance.now() - t0
      const landedAt = video.currentTime
      while (video.currentTime === landedAt) await sleep(1)
      seeks.push({ target, buffered, seekedMs, movingMs: performance.now() - t0, landedAt })
      await sleep(700)
    }

    // currentTime granularity: how often the value changes while playing
    const changes: number[] = []
    let last = video.currentTime
    let lastAt = performance.now()
    const until = performance.now() + 2000
    while (performance.now() < until) {
      await sleep(0)
      if (video.currentTime !== last) {
        const now = performance.now()
        changes.push(now - lastAt)
        last = video.currentTime
        lastAt = now
      }
    }
    video.pause()
    return { playable: true as const, canPlayType, startLatencyMs, speedError, seeks, changes }
  }, `${base}/sample.webm`)

  if (!result.playable) {
    console.log(`NOT PLAYABLE in chromium: ${result.reason}`)
    process.exitCode = 1
  } else {
    const fmt = (x: number): string => x.toFixed(0)
    const sorted = [...result.changes].sort((x, y) => x - y)
    console.log(`canPlayType('video/webm; codecs="vp9, opus"'): ${result.canPlayType}`)
    console.log(`play() → position moving: ${fmt(result.startLatencyMs)} ms`)
    console.log(`speed against the page clock over 8 s: ${(result.speedError * 100).toFixed(3)} %`)
    console.log(
      `currentTime changes every ${fmt(sorted[Math.floor(sorted.length / 2)] ?? NaN)} ms (median; ${result.changes.length} changes in 2 s)`,
    )
    console.log('seek target | was buffered | seeked after (ms) | moving after (ms) | landed at')
    for (const s of result.seeks) {
      console.log(`${String(s.target).padStart(11)} | ${String(s.buffered).padStart(12)} | ${fmt(s.seekedMs).padStart(17)} | ${fmt(s.movingMs).padStart(17)} | ${s.landedAt}`)
    }
  }
} finally {
  await browser.close()
  server.close()
}
