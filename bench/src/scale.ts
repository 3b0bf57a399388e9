/**
 * Scale: session-service replicas behind HAProxy under 20,000 authenticated sockets (2,000
 * sessions × 10 viewers and one session of 2,000, each session's host seeking every 2 s), then
 * ONE replica under a quarter of that load (the same load per replica) for the scaling ratio.
 * Command → last viewer per session size, CPU and memory per process, NATS messages each replica
 * received (from nats-server's /connz) against the traffic of the sessions it serves. Writes the
 * "Measured" section of docs/scaling.md and docs/scaling-latency.svg.
 *
 *   node --import tsx bench/src/scale.ts [--sessions 2000] [--window 60] …   (make bench-scale)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { adminDatabaseUrl, createTestDatabase, startTestIssuer } from '@tandem/service-kit/testing'
import { ensureFileLimit } from './lib/file-limit.ts'
import { parseFlags } from './lib/flags.ts'
import { describeMachine, load1, type Machine } from './lib/machine.ts'
import { resultsDir, status, writeResult } from './lib/output.ts'
import { finish, newResult, type BenchResult } from './lib/result.ts'
import { startMonitoredNats } from './scale/nats-monitor.ts'
import { runPhase, type PhaseFigures, type PhaseOptions } from './scale/phase.ts'
import { printFigures, scaleChecks } from './scale/report.ts'
import { writeScalingDoc, type ScalingRun } from './scale/scaling-doc.ts'
import { SessionBook, type Layout } from './scale/session-book.ts'

const flags = parseFlags('Scale: node --import tsx bench/src/scale.ts [flags]', {
  replicas: { default: 4, help: 'session-service replicas behind HAProxy' },
  sessions: { default: 2000, help: 'small sessions' },
  viewers: { default: 10, help: 'viewers of each small session' },
  large: { default: 2000, help: 'viewers of the one large session (0: none)' },
  interval: { default: 2000, help: 'ms between two commands of one session' },
  rate: { default: 250, help: 'sockets opened per second, over all load generators' },
  warmup: { default: 15, help: 'seconds of commands before the window' },
  window: { default: 60, help: 'seconds measured' },
  single: { default: true, help: 'also run one replica under the same load per replica (the scaling ratio)' },
  'check-ms': {
    default: 500,
    help: "HAProxy's health check period and timeout (Tandem's default, 500 ms; raise it when replicas saturated on a shared machine answer /readyz late)",
  },
  'resync-ms': {
    default: 5000,
    help: "each replica's RESYNC_INTERVAL_MS (Tandem's default, 5,000): every loaded session re-reads the store this often, four at a time",
  },
  'per-balancer': { default: 9000, help: 'most sockets per HAProxy process (two descriptors each; 20,000 per process here)' },
  'per-generator': { default: 9000, help: 'most sockets per load generator process' },
  docs: { default: true, help: 'rewrite the Measured section of docs/scaling.md and docs/scaling-latency.svg' },
  'docs-only': { default: false, help: 'measure nothing: rewrite the docs from the last results (bench/results/scale.json)' },
})
if (flags['docs-only']) {
  await rewriteDocsFromResults()
  process.exit(0)
}
ensureFileLimit(20_000)

const result = newResult('scale', 'Scale-out behind HAProxy', flags)
const machine = await describeMachine()
const loadAtStart = load1()
const db = await createTestDatabase('tandem_bench_scale')
const issuer = await startTestIssuer()
const nats = await startMonitoredNats()
const phases: PhaseFigures[] = []
try {
  const env = { eventStoreUrl: db.url, databasePids: () => backendPids(db.name), nats, issuer, book: new SessionBook(issuer) }
  const common: Omit<PhaseOptions, 'label' | 'replicas' | 'layout'> = {
    perSecond: flags.rate,
    intervalMs: flags.interval,
    warmupMs: flags.warmup * 1000,
    windowMs: flags.window * 1000,
    checkIntervalMs: flags['check-ms'],
    replicaEnv: { RESYNC_INTERVAL_MS: String(flags['resync-ms']) },
    perBalancer: flags['per-balancer'],
    perGenerator: flags['per-generator'],
  }
  const full: Layout = { small: flags.sessions, smallViewers: flags.viewers, largeViewers: flags.large }
  phases.push(await runPhase(env, { ...common, label: `${flags.replicas} replicas`, replicas: flags.replicas, layout: full }))
  if (flags.single && flags.replicas > 1) {
    const share: Layout = { small: Math.round(flags.sessions / flags.replicas), smallViewers: flags.viewers, largeViewers: Math.round(flags.large / flags.replicas) }
    phases.push(await runPhase(env, { ...common, label: '1 replica, the same load per replica', replicas: 1, layout: share }))
  }
} finally {
  await nats.stop()
  await issuer.close()
  await db.drop()
}

result.figures = { phases, loadAtStart, machine }
result.checks.push(...scaleChecks(phases))
printFigures(phases)
writeResult(finish(result))
if (flags.docs) {
  writeScalingDoc(scalingRun(result))
  status('docs/scaling.md (Measured) and docs/scaling-latency.svg rewritten')
}

function scalingRun(stored: BenchResult): ScalingRun {
  const figures = stored.figures as { phases: PhaseFigures[]; loadAtStart: number; machine: Machine }
  const params = stored.params as typeof flags
  return {
    phases: figures.phases,
    machine: figures.machine,
    loadAtStart: figures.loadAtStart,
    loadAtEnd: stored.loadAverage.after,
    durationMs: stored.durationMs,
    checks: scaleChecks(figures.phases),
    checkIntervalMs: params['check-ms'],
    resyncMs: params['resync-ms'],
  }
}

async function rewriteDocsFromResults(): Promise<void> {
  const stored = JSON.parse(readFileSync(join(resultsDir, 'scale.json'), 'utf8')) as BenchResult
  // results of runs that did not store the machine: this machine, at the run's date
  ;(stored.figures as { machine?: Machine }).machine ??= { ...(await describeMachine()), date: stored.startedAt }
  writeScalingDoc(scalingRun(stored))
  status(`docs/scaling.md (Measured) and docs/scaling-latency.svg rewritten from the run of ${stored.startedAt}`)
}

/** The PostgreSQL server processes connected to database `name` (PostgreSQL runs on this machine). */
async function backendPids(name: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])
    return rows.map((r) => r.pid)
  } finally {
    await client.end()
  }
}
