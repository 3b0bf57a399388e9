import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import type { ClientCommand } from '@tandem/contracts'
import { SessionSocket, freePort } from '@tandem/service-kit/testing'
import { CLIP_SECONDS, SAMPLE_VIDEO, ensureTestMedia, serveMedia } from './test-media.ts'
import { countSeeks, inSync, joinSession, ms, sample, signUp, startSession, startWatchStage, waitUntil, type Viewer } from './watch-support.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))
/** Every player within this of the shared timeline counts as in sync (the watch tests' settled spread is 100 ms). */
const SYNC_TOLERANCE_S = 0.1

/** What the track element of the page's subtitles shows: its mode and the text of its active cues. */
function subtitlesOf(page: Page): Promise<{ mode: string; cues: string[] } | null> {
  return page.locator('video').evaluate((video: HTMLVideoElement) => {
    const track = [...video.textTracks].find((candidate) => candidate.kind === 'subtitles')
    if (!track) return null
    return { mode: track.mode, cues: [...(track.activeCues ?? [])].map((cue) => (cue as VTTCue).text) }
  })
}

/**
 * What the player plays, in Debian's chromium against the whole of Tandem: Ada (host) and Cleo
 * on web server 1 / session-service replica 1, Ben on web server 2 / replica 2. The test media
 * (an HLS rendition of the sample, WebVTT subtitles, a 4 s clip) come from another origin with
 * CORS headers, as from a CDN. The host drives the queue over the protocol.
 */
t.test('sources: HLS, subtitles, a broken link, local files', { timeout: 300_000 }, async (t) => {
  const media = await ensureTestMedia()
  const cdn = await serveMedia(media.dir)
  t.teardown(() => cdn.stop())
  const { system, web1, web2, browser } = await startWatchStage(t)
  mkdirSync(artifacts, { recursive: true })

  const [ada, ben, cleo] = await Promise.all([
    signUp(browser, web1.url, 'Ada'),
    signUp(browser, web2.url, 'Ben'),
    signUp(browser, web1.url, 'Cleo'),
  ])
  const everyone = [ada, ben, cleo]
  const sessionPath = await startSession(ada.page, 'Sources', `${system.webUrl}/media/sample.webm`)
  await Promise.all([joinSession(ben.page, `${web2.url}${sessionPath}`), joinSession(cleo.page, `${web1.url}${sessionPath}`)])

  // the host's commands, over a socket of its own on replica 1
  const { token } = await ada.page.evaluate(() => fetch('/api/token').then((r) => r.json() as Promise<{ token: string }>))
  const sessionId = sessionPath.split('/').at(-1) as string
  const { socket: host } = await SessionSocket.join(`${system.sessionUrls[0].replace(/^http/, 'ws')}/v1/sessions/${sessionId}/ws`, token)
  t.teardown(() => host.close())
  const send = async (command: ClientCommand): Promise<number> => {
    const answer = await host.command(command)
    if (answer.type !== 'ack') throw new Error(`${command.type} refused: ${JSON.stringify(answer)}`)
    return answer.revision
  }
  /** Queues `item` and plays it now (an item's id is "r" + the revision of the event that added it). */
  const playNow = async (item: Extract<ClientCommand, { type: 'queueAdd' }>['items'][number]) => {
    const added = await send({ type: 'queueAdd', items: [item] })
    await send({ type: 'playItem', itemId: `r${added}` })
  }

  await t.test('the host queues an HLS playlist and plays it now: all three play it in sync, through hls.js', async (t) => {
    await send({ type: 'play', position: 0 })
    await waitUntil('the first video plays everywhere', async () => (await Promise.all(everyone.map((v) => inSync(v.page, SYNC_TOLERANCE_S, true)))).every(Boolean))
    const seeks = await Promise.all(everyone.map((v) => countSeeks(v.page)))
    const started = Date.now()
    await playNow({ url: `${cdn.url}/hls/index.m3u8`, title: 'The sample as HLS', subtitlesUrl: `${cdn.url}/subtitles.vtt` })
    const took = await Promise.all(
      everyone.map(async (v) => {
        await waitUntil(`${v.name} plays the HLS item in sync`, async () => {
          const blob = await v.page.locator('video').evaluate((video: HTMLVideoElement) => video.src.startsWith('blob:'))
          return blob && (await inSync(v.page, SYNC_TOLERANCE_S, true))
        }, 60_000)
        return Date.now() - started
      }),
    )
    t.comment(`play now → in sync on the HLS item: ${took.map(ms).join(', ')} (Ada, Ben on replica 2, Cleo)`)
    for (const [i, v] of everyone.entries()) {
      const s = await sample(v.page)
      const seen = await seeks[i]!()
      t.comment(`${v.name}: ${seen} seeks from the switch to in sync, controller mode ${s.mode}`)
      t.ok(seen <= 3, `${v.name}: no seek storm across the source change (${seen} seeks)`)
      await v.page.getByRole('status').filter({ hasText: 'In sync' }).waitFor()
    }
  })

  await t.test('subtitles: off by default, c turns them on for this viewer only, c again off', async (t) => {
    const button = ben.page.getByRole('button', { name: 'Subtitles' })
    t.equal(await button.getAttribute('aria-pressed'), 'false', 'off by default')
    t.equal(await subtitlesOf(ben.page), null, 'no track loaded while they are off')
    await ben.page.locator('body').press('c')
    await waitUntil('Ben sees a cue', async () => {
      const track = await subtitlesOf(ben.page)
      return track?.mode === 'showing' && track.cues.length > 0 && /^Line \d+$/.test(track.cues[0]!)
    })
    t.equal(await button.getAttribute('aria-pressed'), 'true')
    t.not((await subtitlesOf(ada.page))?.mode, 'showing', "Ada's player shows none")
    await ben.page.screenshot({ path: join(artifacts, 'player-sources-subtitles.png') })
    await ben.page.locator('body').press('c')
    await waitUntil('the subtitles are off again', async () => (await subtitlesOf(ben.page))?.mode === 'disabled')
    t.equal(await button.getAttribute('aria-pressed'), 'false')
  })

  await t.test('a link that does not load says so on every player, and the next item clears it', async (t) => {
    await send({ type: 'pause', position: 0 })
    const nowhere = `http://127.0.0.1:${await freePort()}/missing.webm`
    await playNow({ url: nowhere })
    for (const v of everyone) {
      const alert = v.page.getByRole('alert').filter({ hasText: 'This link did not load as video:' })
      await alert.waitFor()
      t.comment(`${v.name}: ${await alert.textContent()}`)
    }
    await ada.page.screenshot({ path: join(artifacts, 'player-sources-error.png') })
    t.pass('shown to all three')
  })

  await t.test('local files: each viewer opens their own copy; only the one that differs is warned; subtitles that are not WebVTT', async (t) => {
    const clipSize = statSync(media.clip).size
    // its subtitles are SubRip, which a <track> cannot read
    await playNow({ kind: 'local', file: { name: 'clip.webm', size: clipSize, duration: CLIP_SECONDS }, title: 'Our clip', subtitlesUrl: `${cdn.url}/not-subtitles.srt` })
    for (const v of everyone) {
      await v.page.getByText('Open your copy of clip.webm').waitFor()
      t.equal(await v.page.getByRole('alert').filter({ hasText: 'did not load' }).count(), 0, `${v.name}: the broken link's error is gone`)
    }
    // Cleo's copy is another video altogether (a longer one, under another name)
    const other = join(tmpdir(), `other-${process.pid}.webm`)
    copyFileSync(SAMPLE_VIDEO, other)
    t.teardown(() => import('node:fs').then((fs) => fs.rmSync(other, { force: true })))
    const files = new Map<Viewer, string>([[ada, media.clip], [ben, media.clip], [cleo, other]])
    await Promise.all(everyone.map((v) => v.page.getByLabel('Open your copy of clip.webm').setInputFiles(files.get(v)!)))
    for (const v of everyone) {
      await waitUntil(`${v.name} holds the shared frame of their own file`, async () => {
        const local = await v.page.locator('video').evaluate((video: HTMLVideoElement) => video.src.startsWith('blob:') && video.readyState >= 1)
        return local && (await inSync(v.page, SYNC_TOLERANCE_S, false))
      })
    }
    const warning = cleo.page.getByRole('status').filter({ hasText: "Your file differs from the host's" })
    await warning.waitFor()
    t.match(await warning.textContent(), /name other-\d+\.webm vs clip\.webm, size 2\.0 MB vs \d+\.\d kB, duration 2:00 vs 0:04/)
    for (const v of [ada, ben]) t.equal(await v.page.getByText("Your file differs from the host's").count(), 0, `${v.name} is not warned`)
    await cleo.page.screenshot({ path: join(artifacts, 'player-sources-local-mismatch.png') })
    await ada.page.locator('body').press('c')
    await ada.page.getByRole('status').filter({ hasText: 'The subtitles did not load: the file is not WebVTT' }).waitFor()
    t.pass('subtitles that are not WebVTT are named as such')
  })

  for (const v of everyone) t.same(v.cspViolations, [], `${v.name}: no Content-Security-Policy violation`)
})
