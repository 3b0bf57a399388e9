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
    if (ready !== 'ok') return { ready, duration: 0, advanced: 0, seekedTo: 0 }
    await video.play()
    const from = video.currentTime
    await sleep(1000)
    const advanced = video.currentTime - from
    const seeked = once('seeked')
    video.currentTime = 63.48
    await seeked
    video.pause()
    await sleep(200)
    return { ready, duration: video.duration, advanced, seekedTo: video.currentTime }
  }, `${web.url}/media/sample.webm`)

  t.equal(result.ready, 'ok', 'the browser can decode it')
  t.ok(Math.abs(result.duration - 120) < 0.5, `about two minutes long (${result.duration} s)`)
  t.ok(result.advanced > 0.5 && result.advanced < 1.5, `it plays (${result.advanced.toFixed(3)} s in 1 s)`)
  t.ok(Math.abs(result.seekedTo - 63.48) < 0.05, 'a range request seek lands where asked')
  mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: `${artifacts}sample-media.png` })
  t.comment(`screenshot: test-results/sample-media.png (the timecode shows about 00:01:03.4)`)
})
