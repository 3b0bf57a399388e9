/**
 * Sync accuracy in real browsers: two headless chromium players watch one session (the whole
 * system as `make up` starts it; the second player's page and socket go through the second
 * replica), and after play, seek, rate and pause/resume changes the spread between their
 * `currentTime`s is sampled over time. Baseline in the same run: the same with drift correction
 * off (the profile preference "Keep my player in sync with the room"), where a player follows
 * every change but is not corrected afterwards.
 *
 *   node --import tsx bench/src/sync-accuracy.ts [--phase-seconds 8] [--settle-seconds 2]
 */
import { existsSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { startNativeSystem, type NativeSystem } from '@tandem/service-kit/testing'
import { CHROMIUM_PATH, launchChromium } from '../../web/e2e/chromium.ts'
import { startWebOnSecondReplica, type RunningWeb } from '../../web/e2e/web-server.ts'
import { signUp, type Viewer } from '../../web/e2e/watch-support.ts'
import { parseFlags } from './lib/flags.ts'
import { figure, fmt, status, writeResult } from './lib/output.ts'
import { finish, newResult } from './lib/result.ts'
import { sampleSpread, type SpreadPoint } from './sync/spread-sampler.ts'

/** DESIGN.md §6: inter-viewer spread p95 after settling. */
const SYNC_TARGET_P95_MS = 50

const flags = parseFlags('Sync accuracy: node --import tsx bench/src/sync-accuracy.ts [flags]', {
  'phase-seconds': { default: 8, help: 'sampling time after each change' },
  'settle-seconds': { default: 2, help: 'samples this soon after a change do not count as settled' },
  'sample-ms': { default: 100, help: 'time between samples' },
})
const result = newResult('sync-accuracy', 'Inter-player spread in two browsers', flags)

interface Phase {
  name: string
  act(host: Page): Promise<void>
}

/** The changes, in order, each made by the host on the page as a person would. */
const PHASES: Phase[] = [
  { name: 'play', act: (p) => p.getByRole('button', { name: 'Play' }).click() },
  { name: 'seek +5 s', act: (p) => p.getByRole('button', { name: 'Forward 5 seconds' }).click() },
  { name: 'rate 1.5×', act: async (p) => void (await p.getByLabel('Speed').selectOption('1.5')) },
  { name: 'rate 1×', act: async (p) => void (await p.getByLabel('Speed').selectOption('1')) },
  {
    name: 'pause, resume',
    act: async (p) => {
      await p.getByRole('button', { name: 'Pause' }).click()
      await p.waitForTimeout(1000)
      await p.getByRole('button', { name: 'Play' }).click()
    },
  },
]

/** This machine cannot run the figure (no browser, no watch page yet): said, not failed. */
class Skip extends Error {}

let system: NativeSystem | undefined
let web2: RunningWeb | undefined
let browser: Browser | undefined
try {
  if (!existsSync(CHROMIUM_PATH)) throw new Skip(`no chromium at ${CHROMIUM_PATH}`)
  status('starting the whole system (make up, native mode)')
  system = await startNativeSystem()
  web2 = await startWebOnSecondReplica(system)
  browser = await launchChromium()
  const [ada, ben] = await Promise.all([signUp(browser, system.webUrl, 'Ada'), signUp(browser, web2.url, 'Ben')])

  const modes: Record<string, Record<string, SpreadPoint[]>> = {}
  for (const mode of ['on', 'off'] as const) {
    if (mode === 'off') for (const v of [ada, ben]) await setAutoSync(v, v === ada ? system.webUrl : web2.url, false)
    status(`correction ${mode}: new session, ${PHASES.length} changes, ${flags['phase-seconds']} s of samples after each`)
    const ready = await openSession(ada, ben, system.webUrl, web2.url, mode === 'on' ? 'in-sync' : 'sync-off')
    if (!ready) throw new Skip('the watch page does not expose window.tandemWatch (not built yet?)')
    modes[mode] = {}
    for (const phase of PHASES) {
      await phase.act(ada.page)
      const since = performance.now()
      modes[mode][phase.name] = await sampleSpread(ada.page, ben.page, since, flags['phase-seconds'] * 1000, flags['sample-ms'])
      status(`  ${phase.name}: ${modes[mode][phase.name]!.length} samples`)
    }
  }
  report(modes)
} catch (err) {
  if (!(err instanceof Skip)) throw err
  figure(`\n## Sync accuracy: skipped (${err.message})`)
  result.skipped = err.message
} finally {
  await browser?.close()
  await web2?.stop()
  await system?.destroy()
}
writeResult(finish(result))

/** Opens a new session for both viewers; resolves once each badge shows `badge` (in sync, or sync off). */
async function openSession(host: Viewer, guest: Viewer, hostBase: string, guestBase: string, badge: 'in-sync' | 'sync-off'): Promise<boolean> {
  const page = host.page
  await page.goto(`${hostBase}/lobby`)
  await page.getByLabel('Title').fill(`Spread ${Date.now()}`)
  await page.getByLabel('Video URL').fill(`${hostBase}/media/sample.webm`)
  await Promise.all([page.waitForURL(/\/sessions\/[0-9a-f-]+$/), page.getByRole('button', { name: 'Start watching' }).click()])
  const path = new URL(page.url()).pathname
  await guest.page.goto(`${guestBase}${path}`)
  const probe = () => (window as unknown as { tandemWatch?: unknown }).tandemWatch !== undefined
  try {
    await Promise.all([host.page.waitForFunction(probe, undefined, { timeout: 20_000 }), guest.page.waitForFunction(probe, undefined, { timeout: 20_000 })])
  } catch {
    return false
  }
  for (const v of [host, guest]) await v.page.locator(`.badge[data-state="${badge}"]`).waitFor({ timeout: 20_000 })
  return true
}

async function setAutoSync(viewer: Viewer, base: string, on: boolean): Promise<void> {
  await viewer.page.goto(`${base}/profile`)
  await viewer.page.getByLabel('Keep my player in sync with the room').setChecked(on)
  await viewer.page.getByRole('button', { name: 'Save' }).click()
  await viewer.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

function report(modes: Record<string, Record<string, SpreadPoint[]>>): void {
  const settle = flags['settle-seconds']
  const settledPoints = (points: SpreadPoint[]) => points.filter((p) => p.t >= settle)
  const stats = (points: SpreadPoint[]) => {
    const spreads = points.map((p) => p.spreadMs)
    const drifts = points.flatMap((p) => [Math.abs(p.driftA), Math.abs(p.driftB)]).filter(Number.isFinite)
    return { n: spreads.length, p50: percentile(spreads, 0.5), p95: percentile(spreads, 0.95), max: Math.max(...spreads), driftP95: percentile(drifts, 0.95) }
  }
  figure(`\n## Inter-player spread, two chromium players on two replicas (settled: ≥ ${settle} s after each change)`)
  const perPhase: Record<string, Record<string, ReturnType<typeof stats>>> = {}
  for (const mode of Object.keys(modes)) {
    perPhase[mode] = {}
    for (const [phase, points] of Object.entries(modes[mode]!)) {
      const s = stats(settledPoints(points))
      perPhase[mode]![phase] = s
      figure(
        `correction ${mode.padEnd(3)} ${phase.padEnd(14)} spread p50 ${fmt.ms(s.p50).padStart(9)}  p95 ${fmt.ms(s.p95).padStart(9)}  max ${fmt.ms(s.max).padStart(9)}` +
          `  |drift| p95 ${fmt.ms(s.driftP95).padStart(9)}  (n=${s.n})`,
      )
    }
  }
  const all = (mode: string) => stats(Object.values(modes[mode]!).flatMap(settledPoints))
  const on = all('on')
  const off = all('off')
  figure(`all settled samples: correction on p50 ${fmt.ms(on.p50)} p95 ${fmt.ms(on.p95)}; off p50 ${fmt.ms(off.p50)} p95 ${fmt.ms(off.p95)} (on / off, p95: ${fmt.ratio(on.p95 / off.p95)})`)
  result.figures = { settled: { on, off }, perPhase, series: modes }
  result.checks.push({
    label: 'inter-player spread after settling, p95 (correction on)',
    value: `${fmt.ms(on.p95)} (off: ${fmt.ms(off.p95)})`,
    target: `≤ ${SYNC_TARGET_P95_MS} ms`,
    pass: on.p95 <= SYNC_TARGET_P95_MS,
  })
  // Guarded as a fraction of the target: the "off" baseline depends on how the players happened
  // to start (both run in one browser on one clock), too much for a ratio to it to be stable.
  result.guarded.push({ key: 'sync-accuracy.settled_p95_of_target', value: on.p95 / SYNC_TARGET_P95_MS, better: 'lower', target: 1 })
}
