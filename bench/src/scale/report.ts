import type { Check } from '../lib/result.ts'
import { figure } from '../lib/output.ts'
import { formatSummary } from '../lib/histogram.ts'
import type { PhaseFigures } from './phase.ts'

/** Targets, as docs/scaling.md states them. */
export const P99_TARGET_MS = 100
export const NATS_RATIO_TARGET = 1.2

const MIB = 1024 ** 2
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

export const meanReplicaCpu = (phase: PhaseFigures): number => sum(phase.perReplica.map((r) => r.cpuPercent)) / phase.perReplica.length

/**
 * The scaling ratio: CPU per replica when the load is spread over several replicas, against one
 * replica carrying the same load per replica alone. 1.0 is linear scaling; above it each replica
 * pays for its peers (every replica hearing every session's traffic shows up here).
 */
export function scalingRatio(phases: PhaseFigures[]): { cpu: number; p99: Record<string, number>; throughput: [number, number]; efficiency: number } | null {
  const [many, one] = phases
  if (!many || !one || one.replicas !== 1) return null
  const p99: Record<string, number> = {}
  const sizes = Object.keys(many.latency)
  const oneSizes = Object.keys(one.latency)
  // the large session is scaled down with the load: compare small with small, large with large
  sizes.forEach((size, i) => {
    const other = oneSizes[i]
    if (other) p99[size] = many.latency[size]!.p99 / one.latency[other]!.p99
  })
  const throughput: [number, number] = [deliveredPerSecond(many), deliveredPerSecond(one)]
  return { cpu: meanReplicaCpu(many) / meanReplicaCpu(one), p99, throughput, efficiency: throughput[0] / (many.replicas * throughput[1]) }
}

/** Commands of the window that reached every viewer of their session, per second. */
export const deliveredPerSecond = (phase: PhaseFigures): number => sum(Object.values(phase.latency).map((s) => s.count)) / (phase.windowMs / 1000)

export function scaleChecks(phases: PhaseFigures[]): Check[] {
  const full = phases[0]
  if (!full) return []
  const checks: Check[] = Object.entries(full.latency).map(([size, s]) => ({
    label: `${full.sockets.connected.toLocaleString('en')} sockets, ${full.replicas} replicas: command → last viewer p99, sessions of ${Number(size).toLocaleString('en')}`,
    value:
      `${s.p99.toFixed(1)} ms (p50 ${s.p50.toFixed(1)} ms)` +
      (s.incomplete ? `; ${s.incomplete.toLocaleString('en')} of ${(s.count + s.incomplete).toLocaleString('en')} commands had not reached every viewer when collected (up to 30 s after the window)` : ''),
    target: `< ${P99_TARGET_MS} ms`,
    pass: s.p99 < P99_TARGET_MS && s.incomplete === 0 && s.count > 0,
  }))
  const worst = Math.max(...full.perReplica.map((r) => r.ratio))
  checks.push({
    label: `NATS messages a replica receives / messages of its own sessions (worst of ${full.replicas})`,
    value: `${worst.toFixed(2)}× (sessions per replica: ${full.perReplica.map((r) => `${Math.round(r.sessionShare * 100)} %`).join(', ')})`,
    target: `≤ ${NATS_RATIO_TARGET}×`,
    pass: worst <= NATS_RATIO_TARGET,
  })
  return checks
}

export function printFigures(phases: PhaseFigures[]): void {
  for (const phase of phases) {
    const seconds = phase.windowMs / 1000
    figure(`\n## ${phase.label}: ${phase.sockets.connected.toLocaleString('en')} sockets (${phase.sockets.failed} failed), ${phase.commands.sent} commands in ${seconds.toFixed(0)} s`)
    for (const [size, s] of Object.entries(phase.latency)) {
      figure(`sessions of ${size.padStart(5)}: command → last viewer ${formatSummary(s)}${s.incomplete ? `  (${s.incomplete} incomplete)` : ''}`)
    }
    for (const r of phase.perReplica) {
      figure(
        `${r.replicaId}: ${r.sockets} sockets, ${r.sessions} sessions (${(r.sessionShare * 100).toFixed(0)} %), cpu ${r.cpuPercent.toFixed(0)} %, rss ${(r.rssBytes / MIB).toFixed(0)} MiB, ` +
          `NATS received ${(r.natsReceived / seconds).toFixed(0)}/s, own sessions ${(r.ownSessionsMessages / seconds).toFixed(0)}/s, ratio ${r.ratio.toFixed(2)}, ` +
          `health checks failed ${r.failedChecks} (taken out ${r.takenOut} times)`,
      )
    }
    phase.balancers.forEach((b, i) => figure(`haproxy ${i + 1}: ${b.connections} connections, cpu ${b.cpuPercent.toFixed(0)} %, rss ${(b.rssBytes / MIB).toFixed(0)} MiB`))
    figure(`load generators: cpu ${phase.generators.map((g) => `${g.cpuPercent.toFixed(0)} %`).join(', ')}; nats-server cpu ${phase.natsServer.cpuPercent.toFixed(0)} %; PostgreSQL cpu ${phase.database?.cpuPercent.toFixed(0) ?? '?'} % (${phase.database?.backends ?? '?'} backends)`)
    figure(`published: ${(phase.published.sessions / seconds).toFixed(0)}/s on session subjects, ${phase.published.other} other; rejects ${JSON.stringify(phase.commands.rejects)}, closes ${JSON.stringify(phase.commands.closes)}`)
  }
  const ratio = scalingRatio(phases)
  if (ratio) {
    figure(`\nscaling ratio (CPU per replica, ${phases[0]!.replicas} replicas / 1 replica at the same load per replica): ${ratio.cpu.toFixed(2)}×`)
    figure(`commands delivered to every viewer: ${ratio.throughput[0].toFixed(0)}/s with ${phases[0]!.replicas} replicas, ${ratio.throughput[1].toFixed(0)}/s with 1; scaling efficiency ${(ratio.efficiency * 100).toFixed(0)} %`)
  }
}
