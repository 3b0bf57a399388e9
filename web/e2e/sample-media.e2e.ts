import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { launchChromium, newPage } from './chromium.ts'
import { startWeb } from './web-server.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))

t.test('the sample video is served by web and plays (and seeks) in Debian chromium', async (t) => {
  const web = await startWeb()
  t.teardown(() => web.stop())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await newPage(browser)
  await page.goto(web.url)

  const result = await page.evaluate(async (src) => {
    const video = document.createElement('video')
    video.src = src
    video.muted = true
    video.style.width = '640px'
    document.body.prepend(video)
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const once = (name: string) => new Promise<void>((resolve) => video.addEventListener(name, () => resolve(), { once: true }))
    const failed = new Promise<string>((resolve) => video.addEventListener('error', () => resolve(`error ${video.error?.code}`)))
    const ready = await Promise.race([once('canplay').then(() => 'ok'), failed, sleep(10_000).then(() => 'timeout')])
    if (ready !== 'ok') return { ready, duration: 0, played: 'not started', tookMs: 0, seekedTo: 0 }
    await video.play()
    // a second of the element's own progress, however long a busy machine makes it take
    const from = video.currentTime
    const started = performance.now()
    const oneSecondPlayed = new Promise<string>((resolve) => {
      const check = () => (video.currentTime - from >= 1 ? resolve('ok') : video.addEventListener('timeupdate', check, { once: true }))
      check()
    })
    const played = await Promise.race([oneSecondPlayed, sleep(30_000).then(() => `stalled at +${(video.currentTime - from).toFixed(3)} s`)])
    const tookMs = performance.now() - started
    const seeked = once('seeked')
    video.currentTime = 63.48
    await seeked
    video.pause()
    await sleep(200)
    return { ready, duration: video.duration, played, tookMs, seekedTo: video.currentTime }
  }, `${web.url}/media/sample.webm`)

  t.equal(result.ready, 'ok', 'the browser can decode it')
  t.ok(Math.abs(result.duration - 120) < 0.5, `about two minutes long (${result.duration} s)`)
  t.equal(result.played, 'ok', `it plays (1 s of video in ${result.tookMs.toFixed(0)} ms)`)
  // a stall can only make it slower; faster than real time would be a wrong clock or rate
  t.ok(result.tookMs > 900, 'at normal speed, not faster')
  t.ok(Math.abs(result.seekedTo - 63.48) < 0.05, 'a range request seek lands where asked')
  mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: `${artifacts}sample-media.png` })
  t.comment(`screenshot: test-results/sample-media.png (the timecode shows about 00:01:03.4)`)
})
