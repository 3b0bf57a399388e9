import type { Browser, BrowserContext, Page } from 'playwright-core'
import { percentile, startNativeSystem, waitFor, type NativeSystem } from '@tandem/service-kit/testing'
import { collectCspViolations, launchChromium, newPage } from './chromium.ts'
import { startWebOnReplica, type RunningWeb } from './web-server.ts'

export interface Viewer {
  name: string
  context: BrowserContext
  page: Page
  /** Content-Security-Policy violations seen in this person's pages (none expected) */
  cspViolations: string[]
}

export interface WatchStage {
  system: NativeSystem
  /** a web server whose pages use session-service replica 1 directly */
  web1: RunningWeb
  /** a web server whose pages use session-service replica 2 directly */
  web2: RunningWeb
  browser: Browser
}

/**
 * The whole of Tandem as `make up` starts it, two more web servers pinned to replica 1 and
 * replica 2 (past the balancer, so viewers on each are on different replicas for sure), and
 * chromium; all stopped with the test.
 */
export async function startWatchStage(t: { teardown(fn: () => unknown): void }): Promise<WatchStage> {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  const [web1, web2] = await Promise.all([startWebOnReplica(system, 1), startWebOnReplica(system, 2)])
  t.teardown(() => Promise.all([web1.stop(), web2.stop()]))
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  return { system, web1, web2, browser }
}

/** A new person: a browser context of their own, signed up through the register page. */
export async function signUp(browser: Browser, base: string, name: string): Promise<Viewer> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  const cspViolations = await collectCspViolations(context)
  const page = await newPage(context)
  await page.goto(`${base}/register`)
  await page.getByLabel('Name others see').fill(name)
  await page.getByLabel('E-mail').fill(`${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`)
  await page.getByLabel('Password').fill('correct horse battery')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL(`${base}/lobby`).catch(async (error: Error) => {
    throw new Error(`${name} did not reach the lobby: at ${page.url()} showing "${(await page.locator('main').innerText()).slice(0, 300)}"`, { cause: error })
  })
  return { name, context, page, cspViolations }
}

/**
 * Starts a session through the lobby's form (the page must be the lobby) and resolves with its
 * path once its watch page is there. Public by default, so that others can join from its page.
 */
export async function startSession(page: Page, title: string, videoUrl: string, visibility: 'public' | 'private' = 'public'): Promise<string> {
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Video URL').fill(videoUrl)
  await page.getByLabel('Who can join').selectOption(visibility)
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]+$/), page.getByRole('button', { name: 'Start watching' }).click()])
  return new URL(page.url()).pathname
}

/**
 * Opens a session's page as someone not in it yet and presses its Join button (opening the page
 * alone joins no one); resolves once the watch page is there.
 */
export async function joinSession(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await Promise.all([page.locator('video').waitFor({ state: 'attached' }), page.getByRole('button', { name: 'Join', exact: true }).click()])
}

/** What `window.tandemWatch.sample()` reports (see the watch page). */
export interface PlayerSample {
  /** local ms (performance.timeOrigin + performance.now()): one clock for every page of the machine */
  localNow: number
  serverNow: number
  currentTime: number
  paused: boolean
  /** the element's rate: the session's, or a correction of it while auto-sync nudges or trims */
  playbackRate: number
  /** the room's rate as this page knows it (the shared state, not the element) */
  sessionRate: number | null
  /** where the shared timeline is now by the page's estimate of the server clock, seconds */
  expected: number | null
  mode: string
  offsetErrorBound: number | null
  seekLatency: number
  stats: { hardSeeks: number; pausedSeeks: number; rateChanges: number; plays: number; pauses: number }
}

/** currentTime − the page's expected position, seconds; positive = the player is ahead. */
export const driftOf = (s: PlayerSample): number => s.currentTime - (s.expected ?? Number.NaN)

export function sample(page: Page): Promise<PlayerSample> {
  return page.evaluate(() => (window as unknown as { tandemWatch: { sample(): PlayerSample } }).tandemWatch.sample())
}

/** The page's player is on the shared timeline (within `toleranceS`) and, if wanted, playing. */
export async function inSync(page: Page, toleranceS: number, playing?: boolean): Promise<boolean> {
  const s = await sample(page)
  if (s.expected === null || Math.abs(s.currentTime - s.expected) > toleranceS) return false
  return playing === undefined || s.paused === !playing
}

export function waitUntil<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 30_000) {
  return waitFor(condition, timeoutMs, what)
}

/** The video element's position, seconds. */
export function videoTime(page: Page): Promise<number> {
  return page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime)
}

export function videoPaused(page: Page): Promise<boolean> {
  return page.locator('video').evaluate((v: HTMLVideoElement) => v.paused)
}

export interface SpreadReport {
  samples: number
  /** |a − b| with b projected to a's sampling instant, ms */
  spread: { p50: number; p95: number; max: number }
  /** each player against its own server-clock expectation (signed: + is ahead), ms */
  driftA: { p50: number; max: number; mean: number }
  driftB: { p50: number; max: number; mean: number }
  /** controller modes seen while sampling */
  modes: string[]
}

/**
 * Samples both players `count` times, `everyMs` apart. The two pages run on one machine, so
 * their `localNow` is one clock: b's position is moved to a's sampling instant
 * (the two reads are a few ms apart) before the two are compared.
 */
export async function measureSpread(a: Page, b: Page, count: number, everyMs: number): Promise<SpreadReport> {
  const spreads: number[] = []
  const driftA: number[] = []
  const driftB: number[] = []
  const modes = new Set<string>()
  for (let i = 0; i < count; i++) {
    const [sa, sb] = await Promise.all([sample(a), sample(b)])
    const projectedB = sb.currentTime + ((sa.localNow - sb.localNow) / 1000) * sb.playbackRate
    spreads.push(Math.abs(sa.currentTime - projectedB) * 1000)
    driftA.push(driftOf(sa) * 1000)
    driftB.push(driftOf(sb) * 1000)
    modes.add(sa.mode).add(sb.mode)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return {
    samples: count,
    spread: { p50: percentile(spreads, 50), p95: percentile(spreads, 95), max: Math.max(...spreads) },
    driftA: driftSummary(driftA),
    driftB: driftSummary(driftB),
    modes: [...modes],
  }
}

function driftSummary(signed: number[]) {
  const sizes = signed.map(Math.abs)
  return { p50: percentile(sizes, 50), max: Math.max(...sizes), mean: signed.reduce((a, b) => a + b, 0) / signed.length }
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`

/**
 * Counts the page's video seeks from now on; the returned function reads the count. A player
 * corrects its position only by seeking or by its rate, so with the rate checked, no seek means
 * nothing moved it. (Its drift is no proof: a playback stall on a busy machine changes it too.)
 */
export async function countSeeks(page: Page): Promise<() => Promise<number>> {
  await page.locator('video').evaluate((video: HTMLVideoElement) => {
    const counter = window as unknown as { tandemSeeksSeen: number }
    counter.tandemSeeksSeen = 0
    video.addEventListener('seeking', () => counter.tandemSeeksSeen++)
  })
  return () => page.evaluate(() => (window as unknown as { tandemSeeksSeen: number }).tandemSeeksSeen)
}

/**
 * Moves the page's video by `seconds` as a local jump (not through the room) and resolves once
 * the element has landed (`seeked`), with the player's drift at that moment.
 */
export async function jumpBy(page: Page, seconds: number): Promise<number> {
  await page.locator('video').evaluate(
    (video: HTMLVideoElement, by: number) =>
      new Promise<void>((resolve) => {
        video.addEventListener('seeked', () => resolve(), { once: true })
        video.currentTime += by
      }),
    seconds,
  )
  return driftOf(await sample(page))
}

/**
 * Samples the player every `everyMs` until its element has played `mediaSeconds` of video: a
 * span of the element's own progress, so a playback stall on a busy machine lengthens the
 * observation instead of shortening what it saw.
 */
export async function samplesOverPlayback(page: Page, mediaSeconds: number, everyMs = 250, timeoutMs = 60_000): Promise<PlayerSample[]> {
  const first = await sample(page)
  const taken = [first]
  const deadline = Date.now() + timeoutMs
  while (taken.at(-1)!.currentTime - first.currentTime < mediaSeconds) {
    if (Date.now() > deadline) throw new Error(`the video played ${(taken.at(-1)!.currentTime - first.currentTime).toFixed(2)} s of ${mediaSeconds} s in ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
    taken.push(await sample(page))
  }
  return taken
}
