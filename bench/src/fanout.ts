/**
 * Fan-out latency: N viewers on one session across two session-service replicas; one viewer
 * sends commands at a steady rate; command → ack and command → last viewer received, against a
 * bare broadcast server and Syncplay's server with the same clients in the same run.
 *
 *   node --import tsx bench/src/fanout.ts [--viewers 200,1000] [--rate 5] [--commands 100] …
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDatabase, randomNamespace, startTestIssuer } from '@tandem/service-kit/testing'
import { startBareBroadcastServer } from './baselines/bare-broadcast.ts'
import { syncplayUnavailable } from './baselines/syncplay-server.ts'
import { drive } from './fanout/drive.ts'
import type { FanoutSummary } from './fanout/recorder.ts'
import { BareTarget } from './fanout/bare-target.ts'
import { SyncplayTarget } from './fanout/syncplay-target.ts'
import { TandemTarget } from './fanout/tandem-target.ts'
import type { FanoutTarget } from './fanout/target.ts'
import { parseFlags } from './lib/flags.ts'
import { formatSummary } from './lib/histogram.ts'
import { figure, fmt, resultsDir, status, writeResult } from './lib/output.ts'
import { finish, newResult } from './lib/result.ts'
import { ensureFileLimit } from './lib/file-limit.ts'
import { startSessionReplica, type Replica } from './lib/session-replica.ts'

/** Target: p50 and p99 of command → last viewer at most this multiple of the bare broadcast. */
const FANOUT_TARGET_RATIO = 1.5
/** …at these viewer counts; others are measured and guarded, not judged. */
const TARGET_VIEWERS = new Set([200, 1000])

const flags = parseFlags('Fan-out latency: node --import tsx bench/src/fanout.ts [flags]', {
  viewers: { default: [100, 200, 1000], help: 'viewer counts, one run each (the targets are set at 200 and 1,000)' },
  rate: { default: 5, help: 'commands per second from the sender (the protocol allows 15/s sustained)' },
  commands: { default: 100, help: 'timed commands per run' },
  warmup: { default: 10, help: 'commands sent first and not timed' },
  replicas: { default: 2, help: 'session-service replicas' },
  systems: { default: 'tandem,bare,syncplay', help: 'what to measure' },
  profile: { default: false, help: 'run the replicas with --cpu-prof (profiles in bench/results/profiles)' },
})

ensureFileLimit(Math.max(...flags.viewers) * 3 + 1024)
const systems = new Set(flags.systems.split(','))
const result = newResult('fanout', 'Fan-out latency', { ...flags, systems: [...systems] })
const unavailable = systems.has('syncplay') ? syncplayUnavailable() : null
if (unavailable) {
  systems.delete('syncplay')
  result.notes.push(`Syncplay baseline skipped: ${unavailable}.`)
  status(`syncplay: skipped (${unavailable})`)
}

const db = await createTestDatabase('tandem_bench_fanout')
const issuer = await startTestIssuer()
const replicas: Replica[] = []
let bare: Awaited<ReturnType<typeof startBareBroadcastServer>> | undefined
try {
  const profileDir = join(resultsDir, 'profiles')
  if (flags.profile) mkdirSync(profileDir, { recursive: true })
  if (systems.has('tandem')) {
    const namespace = randomNamespace()
    for (let r = 0; r < flags.replicas; r++) {
      status(`starting session-service replica ${r + 1}/${flags.replicas}`)
      replicas.push(
        await startSessionReplica({
          eventStoreUrl: db.url,
          natsNamespace: namespace,
          jwksUrl: issuer.jwksUrl,
          issuer: issuer.issuer,
          nodeArgs: flags.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
        }),
      )
    }
  }
  if (systems.has('bare')) bare = await startBareBroadcastServer()

  const runs: Record<string, Record<string, FanoutSummary>> = {}
  for (const viewers of flags.viewers) {
    // Tandem and the bare server alternate command by command (their ratio is the target);
    // Syncplay runs on its own afterwards, as its clients keep it busy even when idle.
    const interleaved: FanoutTarget[] = []
    if (systems.has('tandem')) interleaved.push(new TandemTarget(replicas, issuer))
    if (bare) interleaved.push(new BareTarget(bare.url))
    const options = { viewers, rate: flags.rate, commands: flags.commands, warmup: flags.warmup }
    status(`${interleaved.map((t) => t.name).join(' + ')}: ${viewers} viewers, ${flags.rate} commands/s each`)
    const run: Record<string, FanoutSummary> = interleaved.length > 0 ? await drive(interleaved, options) : {}
    if (systems.has('syncplay')) {
      status(`syncplay: ${viewers} viewers, ${flags.rate} commands/s`)
      Object.assign(run, await drive([new SyncplayTarget()], options))
    }
    runs[`n${viewers}`] = run
    const syncplay = run.syncplay
    if (syncplay && syncplay.incomplete > 0) {
      result.notes.push(
        `N = ${viewers}: ${syncplay.incomplete} Syncplay seeks did not reach every client, ${syncplay.lost} reached none. Its server ignores ` +
          "a client's `State` until that client has acknowledged the previous forced change (`ignoringOnTheFly`), so a seek sent " +
          'before the last one came back is dropped. Its percentiles are of the seeks that arrived.',
      )
    }
    report(viewers, run)
  }
  result.figures = { runs }
} finally {
  await Promise.all(replicas.map((r) => r.stop()))
  await bare?.stop()
  await issuer.close()
  await db.drop()
}
writeResult(finish(result))
if (flags.profile) status(`CPU profiles: ${join(resultsDir, 'profiles')} (open in Chrome DevTools or speedscope)`)

function report(viewers: number, run: Record<string, FanoutSummary>): void {
  figure(`\n## Fan-out, N = ${viewers} (${flags.rate} commands/s, ${flags.commands} timed)`)
  for (const [name, s] of Object.entries(run)) {
    figure(`${name.padEnd(9)} ack         ${formatSummary(s.ack)}`)
    figure(`${name.padEnd(9)} last viewer ${formatSummary(s.lastViewer)}${s.incomplete ? `  (${s.incomplete} incomplete, ${s.lost} of them reached no viewer)` : ''}`)
    if (s.lastViewerByGroup.length > 1) s.lastViewerByGroup.forEach((g, i) => figure(`${''.padEnd(9)}  replica ${i + 1} ${formatSummary(g)}`))
  }
  const tandem = run.tandem
  const bareRun = run.bare
  if (tandem && bareRun) {
    const p50 = tandem.lastViewer.p50 / bareRun.lastViewer.p50
    const p99 = tandem.lastViewer.p99 / bareRun.lastViewer.p99
    figure(`tandem / bare, last viewer: p50 ${fmt.ratio(p50)}, p99 ${fmt.ratio(p99)} (target ≤ ${FANOUT_TARGET_RATIO}×)`)
    for (const [p, ratio] of [['p50', p50], ['p99', p99]] as const) {
      if (!TARGET_VIEWERS.has(viewers)) continue
      result.guarded.push({ key: `fanout.n${viewers}.${p}_ratio`, value: ratio, better: 'lower', target: FANOUT_TARGET_RATIO })
      result.checks.push({
        label: `N = ${viewers}: command → last viewer ${p}, Tandem / bare broadcast`,
        value: `${fmt.ms(tandem.lastViewer[p])} / ${fmt.ms(bareRun.lastViewer[p])} = ${fmt.ratio(ratio)}`,
        target: `≤ ${FANOUT_TARGET_RATIO}×`,
        pass: ratio <= FANOUT_TARGET_RATIO && tandem.incomplete === 0,
      })
    }
  }
  const syncplay = run.syncplay
  if (tandem && syncplay) {
    for (const p of ['p50', 'p99'] as const) {
      const ratio = tandem.lastViewer[p] / syncplay.lastViewer[p]
      figure(`tandem / syncplay, last viewer ${p}: ${fmt.ratio(ratio)} (target < 1)`)
      if (!TARGET_VIEWERS.has(viewers)) continue
      result.guarded.push({ key: `fanout.n${viewers}.${p}_vs_syncplay`, value: ratio, better: 'lower', target: 1 })
      result.checks.push({
        label: `N = ${viewers}: command → last viewer ${p}, Tandem / Syncplay`,
        value: `${fmt.ms(tandem.lastViewer[p])} / ${fmt.ms(syncplay.lastViewer[p])} = ${fmt.ratio(ratio)}`,
        target: '< 1×',
        pass: ratio < 1 && tandem.incomplete === 0,
      })
    }
  }
}
