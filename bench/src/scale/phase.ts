import { randomUUID } from 'node:crypto'
import { randomNamespace, shuffled, type TestIssuer } from '@tandem/service-kit/testing'
import { sleep } from '../lib/concurrency.ts'
import { LatencyRecorder, type LatencySummary } from '../lib/histogram.ts'
import { status } from '../lib/output.ts'
import { startBalancerPool, type BalancerPool } from './balancers.ts'
import { startFleet, type FleetMember } from './fleet.ts'
import { sharedNow, type ViewerJob } from './generator-messages.ts'
import { GeneratorPool, type MergedReport, type OpenOutcome } from './generator-pool.ts'
import type { MonitoredNats } from './nats-monitor.ts'
import { UsageWindow } from './process-usage.ts'
import { socketsOf, type BenchSession, type Layout, type SessionBook } from './session-book.ts'
import { SubjectCounter, type SubjectCounts } from './subject-counter.ts'

export interface PhaseOptions {
  label: string
  replicas: number
  layout: Layout
  /** New sockets per second, over all generators. */
  perSecond: number
  intervalMs: number
  warmupMs: number
  windowMs: number
  /** Extra environment for every replica (e.g. RESYNC_INTERVAL_MS). */
  replicaEnv: Record<string, string>
  /** HAProxy's health check period (and check timeout). */
  checkIntervalMs: number
  /** Most sockets one HAProxy process or one load generator holds. */
  perBalancer: number
  perGenerator: number
}

export interface PhaseEnvironment {
  eventStoreUrl: string
  /** The server processes of the benchmark's database (PostgreSQL backends), when the window starts. */
  databasePids: () => Promise<number[]>
  nats: MonitoredNats
  issuer: TestIssuer
  book: SessionBook
}

export interface ReplicaFigures {
  replicaId: string
  sockets: number
  /** Sessions with at least one socket on this replica. */
  sessions: number
  sessionShare: number
  cpuPercent: number
  rssBytes: number
  /** NATS messages the server delivered to this replica during the window. */
  natsReceived: number
  /** Messages published during the window on the subjects of its sessions, plus on shared subjects. */
  ownSessionsMessages: number
  ratio: number
  /** Health checks it failed, and times HAProxy took it out of the pool (summed over HAProxy processes, whole run). */
  failedChecks: number
  takenOut: number
}

export interface ProcessFigures {
  cpuPercent: number
  rssBytes: number
}

export interface PhaseFigures {
  label: string
  replicas: number
  layout: Layout
  sockets: { wanted: number; connected: number; failed: number; retried: number; firstError: string | null }
  /** Per session size (viewers): command sent → the last viewer received its event. */
  latency: Record<string, LatencySummary & { incomplete: number }>
  perReplica: ReplicaFigures[]
  balancers: Array<ProcessFigures & { connections: number }>
  generators: ProcessFigures[]
  natsServer: ProcessFigures
  /** PostgreSQL's backends serving the benchmark's database, CPU summed (memory is shared: not shown). */
  database?: { cpuPercent: number; backends: number }
  /** Messages published during the window: on per-session subjects, and on any other. */
  published: { sessions: number; other: number }
  commands: { sent: number; acks: number; rejects: Record<string, number>; closes: Record<string, number> }
  windowMs: number
}

/**
 * One configuration: replicas behind HAProxy, the sockets opened through it by the load
 * generators, commands for a warm-up and then a measured window, and everything stopped again.
 */
export async function runPhase(env: PhaseEnvironment, options: PhaseOptions): Promise<PhaseFigures> {
  const wanted = socketsOf(options.layout)
  status(`\n■ ${options.label}: ${options.replicas} replica(s), ${wanted.toLocaleString('en')} sockets`)
  const namespace = randomNamespace()
  const counter = await SubjectCounter.start(env.nats.url, namespace)
  let fleet: FleetMember[] = []
  let balancers: BalancerPool | undefined
  let generators: GeneratorPool | undefined
  try {
    fleet = await startFleet({ count: options.replicas, idPrefix: 'replica', eventStoreUrl: env.eventStoreUrl, natsUrl: env.nats.url, natsNamespace: namespace, issuer: env.issuer, env: options.replicaEnv })
    balancers = await startBalancerPool(
      fleet.map((m) => m.address),
      { count: Math.ceil(wanted / options.perBalancer), maxConnections: options.perBalancer, checkIntervalMs: options.checkIntervalMs },
    )
    status(`  ${balancers.processes.length} HAProxy process(es) on ${balancers.url}`)
    const sessions = await env.book.take(balancers.url, options.layout)
    generators = GeneratorPool.start(Math.max(2, Math.ceil(wanted / options.perGenerator)))
    const jobs = viewerJobs(env.issuer, sessions, generators.size)
    status(`  opening ${wanted.toLocaleString('en')} sockets from ${generators.size} load generators, ${options.perSecond}/s`)
    const opened = await generators.open(balancers.url.replace(/^http/, 'ws'), sessions.map((s) => s.id), jobs, options.perSecond)
    if (opened.failed > wanted * 0.01) {
      const checks = [...(await balancers.checkFailures())].map(([server, c]) => `${server}: ${c.failedChecks} failed checks, taken out ${c.takenOut} times`)
      throw new Error(`${opened.failed} of ${wanted} sockets failed to open: ${opened.firstError}\n${checks.join('\n')}`)
    }
    if (opened.retried > 0) status(`  ${opened.retried} attempts failed and were retried (first error: ${opened.firstError})`)
    const connections = await balancers.currentConnections()
    status(`  connections per HAProxy process: ${connections.join(', ')}`)

    generators.startCommands(options.intervalMs)
    status(`  commands every ${options.intervalMs} ms per session; warming up ${options.warmupMs / 1000} s`)
    await sleep(options.warmupMs)

    const databasePids = await env.databasePids()
    const pids = [...fleet.map((m) => m.replica.child.pid), ...balancers.processes.map((p) => p.pid), ...generators.pids, env.nats.pid, ...databasePids]
    const natsBefore = await env.nats.connections()
    const usage = new UsageWindow(pids)
    counter.begin()
    const windowStart = sharedNow()
    status(`  measuring for ${options.windowMs / 1000} s`)
    await sleep(options.windowMs)
    const windowEnd = sharedNow()
    const subjects = counter.end()
    const used = usage.end()
    const natsAfter = await env.nats.connections()
    generators.stopCommands()
    const report = await collectReport(generators, sessions, opened, windowStart, windowEnd)
    const checks = await balancers.checkFailures()

    const received = (replicaId: string) => {
      const name = `session-service ${replicaId}`
      return (natsAfter.get(name)?.outMsgs ?? Number.NaN) - (natsBefore.get(name)?.outMsgs ?? Number.NaN)
    }
    const figure = (pid: number) => ({ cpuPercent: used.get(pid)!.cpuPercent, rssBytes: used.get(pid)!.rssPeak })
    return {
      label: options.label,
      replicas: options.replicas,
      layout: options.layout,
      sockets: { wanted, connected: opened.connected, failed: opened.failed, retried: opened.retried, firstError: opened.firstError },
      latency: latencies(sessions, opened, report, windowStart, windowEnd),
      perReplica: replicaFigures(fleet, sessions, opened, subjects, received, figure).map((r, i) => ({
        ...r,
        failedChecks: checks.get(`session-${i + 1}`)?.failedChecks ?? 0,
        takenOut: checks.get(`session-${i + 1}`)?.takenOut ?? 0,
      })),
      balancers: balancers.processes.map((p, i) => ({ connections: connections[i]!, ...figure(p.pid) })),
      generators: generators.pids.map(figure),
      natsServer: figure(env.nats.pid),
      database: { cpuPercent: databasePids.reduce((n, pid) => n + used.get(pid)!.cpuPercent, 0), backends: databasePids.length },
      published: { sessions: [...subjects.perSession.values()].reduce((a, b) => a + b, 0), other: subjects.other },
      commands: { sent: report.sent.filter(([, at]) => at >= windowStart && at < windowEnd).length, acks: report.acks, rejects: report.rejects, closes: report.closes },
      windowMs: windowEnd - windowStart,
    }
  } finally {
    status('  stopping')
    await generators?.close()
    await balancers?.stop()
    await Promise.all(fleet.map((m) => m.replica.stop()))
    await counter.close()
  }
}

/**
 * The generators' sends and receipts once the window's commands have reached their viewers: read
 * again every few seconds while that still changes something (a saturated machine delivers
 * late), at most `DRAIN_LIMIT_MS`.
 */
async function collectReport(generators: GeneratorPool, sessions: BenchSession[], opened: OpenOutcome, windowStart: number, windowEnd: number): Promise<MergedReport> {
  const started = performance.now()
  let previous = Number.POSITIVE_INFINITY
  for (;;) {
    await sleep(3000)
    const report = await generators.report()
    const incomplete = Object.values(latencies(sessions, opened, report, windowStart, windowEnd)).reduce((n, s) => n + s.incomplete, 0)
    if (incomplete === 0 || incomplete >= previous || performance.now() - started > DRAIN_LIMIT_MS) return report
    status(`  ${incomplete} commands of the window not yet seen by every viewer; waiting`)
    previous = incomplete
  }
}

const DRAIN_LIMIT_MS = 30_000

/**
 * Every session's viewers, the host first (it sends the commands), dealt out to the generators
 * in turn, each generator's list shuffled so that sessions fill up side by side.
 */
function viewerJobs(issuer: TestIssuer, sessions: BenchSession[], generatorCount: number): ViewerJob[][] {
  const jobs: ViewerJob[][] = Array.from({ length: generatorCount }, () => [])
  let next = 0
  sessions.forEach((session, index) => {
    for (let v = 0; v < session.viewers; v++) {
      const userId = v === 0 ? session.hostId : randomUUID()
      jobs[next++ % generatorCount]!.push({ session: index, token: issuer.sign(userId), sender: v === 0 })
    }
  })
  return jobs.map(shuffled)
}

/**
 * Per command sent inside the window: the last arrival over every generator's viewers, once all
 * of the session's connected viewers have it (else it counts as incomplete); then percentiles
 * per session size.
 */
function latencies(sessions: BenchSession[], opened: OpenOutcome, report: MergedReport, windowStart: number, windowEnd: number): PhaseFigures['latency'] {
  const connectedViewers = new Map<number, number>()
  for (const [session, , n] of opened.placements) connectedViewers.set(session, (connectedViewers.get(session) ?? 0) + n)
  const arrivals = new Map<string, { at: number; count: number }>()
  for (const receipts of report.receipts) {
    for (const [key, at, count] of receipts) {
      const seen = arrivals.get(key)
      if (seen) {
        seen.at = Math.max(seen.at, at)
        seen.count += count
      } else arrivals.set(key, { at, count })
    }
  }
  const recorders = new Map<number, { recorder: LatencyRecorder; incomplete: number }>()
  for (const [key, sentAt] of report.sent) {
    if (sentAt < windowStart || sentAt >= windowEnd) continue
    const session = Number(key.slice(0, key.indexOf(':')))
    const size = sessions[session]!.viewers
    const slot = recorders.get(size) ?? { recorder: new LatencyRecorder(), incomplete: 0 }
    recorders.set(size, slot)
    const arrival = arrivals.get(key)
    if (!arrival || arrival.count < (connectedViewers.get(session) ?? 0)) slot.incomplete++
    else slot.recorder.record(arrival.at - sentAt)
  }
  return Object.fromEntries([...recorders].sort(([a], [b]) => a - b).map(([size, slot]) => [String(size), { ...slot.recorder.summary(), incomplete: slot.incomplete }]))
}

/**
 * Which replica holds which sockets comes from HAProxy itself (the server name in the response to
 * each upgrade); a replica's sessions are those with at least one socket on it.
 */
function replicaFigures(
  fleet: FleetMember[],
  sessions: BenchSession[],
  opened: OpenOutcome,
  subjects: SubjectCounts,
  received: (replicaId: string) => number,
  figure: (pid: number) => ProcessFigures,
): Array<Omit<ReplicaFigures, 'failedChecks' | 'takenOut'>> {
  return fleet.map((member, i) => {
    const server = `session-${i + 1}`
    const placed = opened.placements.filter(([, s]) => s === server)
    const own = new Set(placed.map(([session]) => session))
    const ownSessionsMessages = [...own].reduce((n, s) => n + (subjects.perSession.get(sessions[s]!.id) ?? 0), 0) + subjects.other
    const natsReceived = received(member.replicaId)
    const { cpuPercent, rssBytes } = figure(member.replica.child.pid)
    return {
      replicaId: member.replicaId,
      sockets: placed.reduce((n, [, , count]) => n + count, 0),
      sessions: own.size,
      sessionShare: own.size / sessions.length,
      cpuPercent,
      rssBytes,
      natsReceived,
      ownSessionsMessages,
      ratio: natsReceived / ownSessionsMessages,
    }
  })
}
