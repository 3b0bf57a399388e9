/**
 * A change of source in real browsers: N headless chromium viewers watch one session (the whole
 * system as `make up` starts it; every other viewer's page and socket go through the second
 * replica), and a director (a protocol client, the session's host) skips to the next item of the
 * queue while they play. Timed from sending `advance {reason: 'skip'}` until each viewer's
 * <video> fires `playing` on the new item's URL; the figure is the last of the N viewers.
 * Baseline in the same run, alternating with the changes: a plain `seek` while playing, timed
 * until each viewer's <video> fires `seeked` at the new position.
 *
 *   node --import tsx bench/src/source-change.ts [--viewers 3] [--rounds 10]
 */
import { existsSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import type { CreateSessionResponse } from '@tandem/contracts'
import { SessionSocket, percentile, startNativeSystem, waitFor, type NativeSystem } from '@tandem/service-kit/testing'
import { CHROMIUM_PATH, launchChromium } from '../../web/e2e/chromium.ts'
import { startWebOnReplica, type RunningWeb } from '../../web/e2e/web-server.ts'
import { joinSession, sample, signUp, type Viewer } from '../../web/e2e/watch-support.ts'
import { parseFlags } from './lib/flags.ts'
import { figure, fmt, status, writeResult } from './lib/output.ts'
import { finish, newResult } from './lib/result.ts'
import { api } from './lib/tandem-client.ts'

/** Target: every viewer plays the new item within a second of the command, p95. */
const TARGET_P95_MS = 1000
/** A viewer that has not shown the change by then counts as failed (and stops the run). */
const SHOWN_WITHIN_MS = 20_000

const flags = parseFlags('Source change: node --import tsx bench/src/source-change.ts [flags]', {
  viewers: { default: 3, help: 'chromium viewers (every other one on the second replica)' },
  rounds: { default: 10, help: 'timed source changes, and as many timed seeks' },
  warmup: { default: 1, help: 'untimed rounds first' },
})
const result = newResult('source-change', 'Source change → every viewer playing the new item', flags)

/** This machine cannot run the figure (no browser, no watch page yet): said, not failed. */
class Skip extends Error {}

type Shown = Array<number | null>
interface Round {
  /** ms from the command's send to each viewer showing the change, null if it did not */
  sourceChange: Shown
  seek: Shown
}

let system: NativeSystem | undefined
let webs: RunningWeb[] = []
let browser: Browser | undefined
let director: SessionSocket | undefined
try {
  if (!existsSync(CHROMIUM_PATH)) throw new Skip(`no chromium at ${CHROMIUM_PATH}`)
  status('starting the whole system (make up, native mode)')
  system = await startNativeSystem()
  // viewers' pages alternate between two web servers, each pinned to one replica
  webs = await Promise.all([startWebOnReplica(system, 1), startWebOnReplica(system, 2)])
  const media = (item: number) => `${system!.webUrl}/media/sample.webm?item=${item}`
  const items = flags.warmup + flags.rounds

  status('the director signs up and starts a session with a queue')
  const host = await register(system.authUrl)
  const session = await api<CreateSessionResponse>('POST', `${system.sessionUrls[0]}/v1/sessions`, host, {
    title: `Source change ${Date.now()}`,
    videoUrl: media(0),
    visibility: 'public',
  })
  director = (await SessionSocket.join(`${system.sessionUrls[0].replace(/^http/, 'ws')}/v1/sessions/${session.id}/ws`, host)).socket
  const queued = await director.command({ type: 'queueAdd', items: Array.from({ length: items }, (_, i) => ({ url: media(i + 1), title: `Item ${i + 1}` })) })
  if (queued.type !== 'ack') throw new Error(`queueAdd refused: ${JSON.stringify(queued)}`)
  // created r0, the items r1 …: the id of the k-th item
  const itemId = (k: number) => `r${k}`

  browser = await launchChromium()
  const bases = Array.from({ length: flags.viewers }, (_, i) => webs[i % 2]!.url)
  const viewers: Viewer[] = []
  for (const [i, base] of bases.entries()) {
    const viewer = await signUp(browser, base, `Viewer${i + 1}`)
    await joinSession(viewer.page, `${base}/sessions/${session.id}`)
    viewers.push(viewer)
  }
  const pages = viewers.map((v) => v.page)
  const probe = () => (window as unknown as { tandemWatch?: unknown }).tandemWatch !== undefined
  try {
    await Promise.all(pages.map((p) => p.waitForFunction(probe, undefined, { timeout: 20_000 })))
  } catch {
    throw new Skip('the watch page does not expose window.tandemWatch (not built yet?)')
  }

  status(`${flags.viewers} viewers in; play`)
  await director.command({ type: 'play', position: 0 })
  await allPlaying(pages, media(0))

  const rounds: Round[] = []
  for (let k = 1; k <= items; k++) {
    const sourceChange = await timed(pages, { kind: 'playing', url: media(k) }, () => director!.command({ type: 'advance', from: itemId(k - 1), reason: 'skip' }))
    await allPlaying(pages, media(k))
    const position = 20 + (k % 4) * 20
    const seek = await timed(pages, { kind: 'seeked', position }, () => director!.command({ type: 'seek', position }))
    await allPlaying(pages, media(k))
    const round = { sourceChange, seek }
    if (k > flags.warmup) rounds.push(round)
    status(`  ${k > flags.warmup ? `round ${k - flags.warmup}` : 'warm-up'}: source change ${describe(sourceChange)}; seek ${describe(seek)}`)
  }
  report(rounds)
} catch (err) {
  if (!(err instanceof Skip)) throw err
  figure(`\n## Source change: skipped (${err.message})`)
  result.skipped = err.message
} finally {
  await director?.close()
  await browser?.close()
  await Promise.all(webs.map((web) => web.stop()))
  await system?.destroy()
}
writeResult(finish(result))

async function register(authUrl: string): Promise<string> {
  const response = await fetch(`${authUrl}/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `director-${Date.now()}@example.com`, password: 'correct horse battery', displayName: 'Director' }),
  })
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { accessToken: string }).accessToken
}

type Change = { kind: 'playing'; url: string } | { kind: 'seeked'; position: number }

/**
 * Arms every page to note (on the machine's one clock, performance.timeOrigin + now) when its
 * <video> shows `change`, sends the command, and answers ms from the send to each page's note.
 */
async function timed(pages: Page[], change: Change, send: () => Promise<unknown>): Promise<Shown> {
  await Promise.all(pages.map((page) => page.evaluate(armWatch, change)))
  const sentAt = performance.timeOrigin + performance.now()
  const [answer, ...shown] = await Promise.all([send(), ...pages.map((page) => page.evaluate(shownAt, SHOWN_WITHIN_MS))])
  if ((answer as { type?: string }).type !== 'ack') throw new Error(`command refused: ${JSON.stringify(answer)}`)
  return shown.map((at) => (at === null ? null : at - sentAt))
}

/** In the page: resolves `window.benchShown` with the time the video first shows `change`. */
function armWatch(change: Change): void {
  const video = document.querySelector('video')!
  const holder = window as unknown as { benchShown: Promise<number> }
  holder.benchShown = new Promise((resolve) => {
    const type = change.kind
    const onEvent = () => {
      const shown = change.kind === 'playing' ? video.currentSrc === change.url : Math.abs(video.currentTime - change.position) < 2
      if (!shown) return
      video.removeEventListener(type, onEvent)
      resolve(performance.timeOrigin + performance.now())
    }
    video.addEventListener(type, onEvent)
  })
}

/** In the page: when the armed change was shown, or null if not within `timeoutMs`. */
function shownAt(timeoutMs: number): Promise<number | null> {
  const holder = window as unknown as { benchShown: Promise<number> }
  return Promise.race([holder.benchShown, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))])
}

/** Every page plays `url`, in step with the room, before the next change. */
async function allPlaying(pages: Page[], url: string): Promise<void> {
  await waitFor(
    async () => {
      for (const page of pages) {
        const [s, src] = await Promise.all([sample(page), page.evaluate(() => document.querySelector('video')?.currentSrc ?? '')])
        if (src !== url || s.paused || s.expected === null || Math.abs(s.currentTime - s.expected) > 0.2) return false
      }
      return true
    },
    SHOWN_WITHIN_MS,
    `every viewer playing ${url} in step`,
  )
}

/** The last viewer's time; infinite when one never showed the change. */
function lastOf(shown: Shown): number {
  return shown.some((v) => v === null) ? Number.POSITIVE_INFINITY : Math.max(...(shown as number[]))
}

function describe(shown: Shown): string {
  return shown.map((v) => (v === null ? 'never' : fmt.ms(v))).join(', ')
}

function report(rounds: Round[]): void {
  const summary = (values: number[]) => ({ n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) })
  const change = summary(rounds.map((r) => lastOf(r.sourceChange)))
  const seek = summary(rounds.map((r) => lastOf(r.seek)))
  const perViewer = Array.from({ length: flags.viewers }, (_, i) => ({
    sourceChange: summary(rounds.map((r) => r.sourceChange[i] ?? Number.POSITIVE_INFINITY)),
    seek: summary(rounds.map((r) => r.seek[i] ?? Number.POSITIVE_INFINITY)),
  }))
  figure(`\n## Source change → every one of ${flags.viewers} chromium viewers playing the new item (${rounds.length} rounds)`)
  figure(`source change, last viewer: p50 ${fmt.ms(change.p50)}  p95 ${fmt.ms(change.p95)}  max ${fmt.ms(change.max)}`)
  figure(`seek (baseline), last viewer: p50 ${fmt.ms(seek.p50)}  p95 ${fmt.ms(seek.p95)}  max ${fmt.ms(seek.max)}`)
  figure(`source change / seek, p50: ${fmt.ratio(change.p50 / seek.p50)}`)
  for (const [i, v] of perViewer.entries()) figure(`viewer ${i + 1} (replica ${(i % 2) + 1}): source change p50 ${fmt.ms(v.sourceChange.p50)}, seek p50 ${fmt.ms(v.seek.p50)}`)
  result.figures = { sourceChange: change, seek, perViewer, rounds }
  result.checks.push({
    label: `source change → last of ${flags.viewers} browsers playing the new item, p50 / p95`,
    value: `${fmt.ms(change.p50)} / ${fmt.ms(change.p95)} (seek: ${fmt.ms(seek.p50)} / ${fmt.ms(seek.p95)}; p50 ${fmt.ratio(change.p50 / seek.p50)})`,
    target: `p95 ≤ ${TARGET_P95_MS} ms`,
    pass: change.p95 <= TARGET_P95_MS,
  })
  // As a fraction of the target, like the other browser figure: the seek baseline is a few tens
  // of ms that the machine's other work moves too much for a ratio to it to be stable.
  result.guarded.push({ key: 'source-change.p95_of_target', value: change.p95 / TARGET_P95_MS, better: 'lower', target: 1 })
}
