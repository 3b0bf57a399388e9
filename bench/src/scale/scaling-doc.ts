import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Machine } from '../lib/machine.ts'
import { repoRoot } from '../lib/output.ts'
import type { Check } from '../lib/result.ts'
import { int, ms, ratio, table, verdict } from '../report/markdown.ts'
import type { PhaseFigures } from './phase.ts'
import { meanReplicaCpu, NATS_RATIO_TARGET, P99_TARGET_MS, scalingRatio } from './report.ts'
import { barPanelsSvg } from './svg-chart.ts'

export const MEASURED_START = '<!-- measured: written by `make bench-scale`; everything up to the end marker is replaced -->'
export const MEASURED_END = '<!-- end of measured -->'

const docFile = join(repoRoot, 'docs/scaling.md')
const chartFile = join(repoRoot, 'docs/scaling-latency.svg')
const MIB = 1024 ** 2

export interface ScalingRun {
  phases: PhaseFigures[]
  machine: Machine
  loadAtStart: number
  loadAtEnd: number
  durationMs: number
  checks: Check[]
  checkIntervalMs: number
  resyncMs: number
}

/** Replaces the Measured section of docs/scaling.md (appended when missing) and rewrites the chart. */
export function writeScalingDoc(run: ScalingRun): void {
  const section = `${MEASURED_START}\n${measuredSection(run)}${MEASURED_END}`
  const previous = existsSync(docFile) ? readFileSync(docFile, 'utf8') : '# Scaling\n'
  const start = previous.indexOf(MEASURED_START)
  const end = previous.indexOf(MEASURED_END)
  const next = start >= 0 && end > start ? previous.slice(0, start) + section + previous.slice(end + MEASURED_END.length) : `${previous.trimEnd()}\n\n${section}\n`
  writeFileSync(docFile, next)
  writeFileSync(chartFile, chart(run.phases))
}

const sizeLabel = (size: string) => `${int(Number(size))} viewers`

function measuredSection(run: ScalingRun): string {
  const { phases, machine } = run
  const seconds = (p: PhaseFigures) => p.windowMs / 1000
  const latencyRows = phases.flatMap((p) =>
    Object.entries(p.latency).map(([size, s]) => [p.label, int(p.sockets.connected), sizeLabel(size), int(s.count), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), int(s.incomplete)]),
  )
  const replicaTables = phases.map((p) => {
    const rows = p.perReplica.map((r) => [
      r.replicaId,
      int(r.sockets),
      `${int(r.sessions)} (${Math.round(r.sessionShare * 100)} %)`,
      `${r.cpuPercent.toFixed(0)} %`,
      `${(r.rssBytes / MIB).toFixed(0)} MiB`,
      int(r.natsReceived / seconds(p)),
      int(r.ownSessionsMessages / seconds(p)),
      ratio(r.ratio),
      `${Math.round((r.natsReceived / (p.published.sessions + p.published.other)) * 100)} %`,
      `${int(r.failedChecks)} / ${int(r.takenOut)}`,
    ])
    const balancerRows = p.balancers.map((b, i) => [`HAProxy ${i + 1}`, int(b.connections), '', `${b.cpuPercent.toFixed(0)} %`, `${(b.rssBytes / MIB).toFixed(0)} MiB`, '', '', '', '', ''])
    const others = [
      ...(p.database ? [[`PostgreSQL (${p.database.backends} backends)`, '', '', `${p.database.cpuPercent.toFixed(0)} %`, '', '', '', '', '', '']] : []),
      ['nats-server', '', '', `${p.natsServer.cpuPercent.toFixed(0)} %`, `${(p.natsServer.rssBytes / MIB).toFixed(0)} MiB`, '', '', '', '', ''],
      ...p.generators.map((g, i) => [`load generator ${i + 1}`, '', '', `${g.cpuPercent.toFixed(0)} %`, `${(g.rssBytes / MIB).toFixed(0)} MiB`, '', '', '', '', '']),
    ]
    const rejects = Object.entries(p.commands.rejects).map(([code, n]) => `${n} \`${code}\``)
    const closes = Object.entries(p.commands.closes).map(([code, n]) => `${n} × ${code}`)
    return [
      `**${p.label}** — ${int(p.sockets.connected)} of ${int(p.sockets.wanted)} sockets open${p.sockets.retried ? ` (${int(p.sockets.retried)} attempts refused and retried while opening)` : ''} (${p.layout.small} sessions × ${p.layout.smallViewers}` +
        `${p.layout.largeViewers ? ` + one of ${int(p.layout.largeViewers)}` : ''}), ${int(p.commands.sent)} commands in ${seconds(p).toFixed(0)} s, ` +
        `${int(p.published.sessions / seconds(p))} NATS messages/s published on session subjects${p.published.other ? ` and ${int(p.published.other / seconds(p))}/s on others` : ''}` +
        `${rejects.length ? `; rejected: ${rejects.join(', ')}` : ''}${closes.length ? `; sockets closed by the server: ${closes.join(', ')}` : ''}.`,
      '',
      table(['process', 'sockets', 'sessions with a socket here', 'CPU (of one core)', 'RSS (peak)', 'NATS msgs received/s', "its sessions' msgs/s", 'received / its sessions', 'received / all published', 'health checks failed / taken out'], [...rows, ...balancerRows, ...others]),
    ].join('\n')
  })
  const scaling = scalingRatio(phases)
  const scalingText = scaling
    ? `**Scaling.** Commands that reached every viewer of their session: ${int(scaling.throughput[0])}/s with ${phases[0]!.replicas} replicas ` +
      `(${int(phases[0]!.commands.sent / seconds(phases[0]!))}/s sent), ${int(scaling.throughput[1])}/s with one replica (${int(phases[1]!.commands.sent / seconds(phases[1]!))}/s sent): ` +
      `a scaling efficiency of **${Math.round(scaling.efficiency * 100)} %** (100 % is linear). CPU per replica, ${meanReplicaCpu(phases[0]!).toFixed(0)} % against ` +
      `${meanReplicaCpu(phases[1]!).toFixed(0)} % alone: **${ratio(scaling.cpu)}**. p99 against the one replica: ` +
      `${Object.entries(scaling.p99).map(([size, r]) => `${sizeLabel(size)} ${ratio(r)}`).join(', ')}.`
    : 'No one-replica run this time (`--no-single`): no scaling ratio.'
  return `
## Measured

Written by \`make bench-scale\` (\`bench/src/scale.ts\`); rerunning it replaces this section and
[the chart](scaling-latency.svg). Command → last viewer is timed from the moment the host's load
generator sent a \`seek\` to the moment the last of the session's viewers (in any generator
process) received its \`PlaybackSeeked\` event, on one clock shared by the processes; commands
sent during the measured window only. NATS messages received come from nats-server's \`/connz\`
(\`out_msgs\` of each replica's connection, over the window); a replica's sessions are those with
at least one of its sockets (HAProxy names the server of every upgrade), and "its sessions'
messages" counts what was published on their subjects plus any subject every replica hears.
HAProxy ran Tandem's generated configuration${run.checkIntervalMs === 500 ? ' (health checks every 500 ms)' : `, with health checks every ${run.checkIntervalMs} ms instead of 500 ms`};
replicas ran with \`RESYNC_INTERVAL_MS=${run.resyncMs}\`${run.resyncMs === 5000 ? ' (the default)' : ' (default 5,000)'}. Everything ran on the one
2-core machine: replicas, HAProxy, PostgreSQL, nats-server and the load generators.

![command → last viewer, and NATS messages per replica](scaling-latency.svg)

${table(['figure', 'measured', 'target', ''], run.checks.map((c) => [c.label, c.value, c.target, verdict(c.pass)]))}

${table(['configuration', 'sockets', 'session size', 'commands', 'p50', 'p95', 'p99', 'max', 'incomplete'], latencyRows)}

${replicaTables.join('\n\n')}

${scalingText}

| | |
|---|---|
| date | ${machine.date} |
| machine | ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Linux ${machine.kernel} |
| software | Node.js ${machine.node}, PostgreSQL ${machine.postgres}, HAProxy and nats-server as installed |
| 1-minute load average | ${run.loadAtStart.toFixed(2)} at the start, ${run.loadAtEnd.toFixed(2)} at the end |
| duration | ${(run.durationMs / 60_000).toFixed(1)} min |

Every process of both configurations (replicas, HAProxy, nats-server, PostgreSQL, the load
generators) shares the same ${machine.cores} cores, so these are figures of a saturated small
machine, not of a deployment: what they show is the shape (where CPU goes, what each replica
hears), and the latency a replica's CPU budget buys.
`
}

function chart(phases: PhaseFigures[]): string {
  const short = (p: PhaseFigures) => (p.replicas === 1 ? '1 replica' : `${p.replicas} replicas`)
  const latencyGroups = phases.flatMap((p) => Object.entries(p.latency).map(([size, s]) => ({ label: `${short(p)}\n${sizeLabel(size)}`, values: [s.p50, s.p99] })))
  const full = phases[0]
  const seconds = full ? full.windowMs / 1000 : 1
  const natsGroups = (full?.perReplica ?? []).map((r) => ({ label: `${r.replicaId}\n${Math.round(r.sessionShare * 100)} % of sessions`, values: [r.natsReceived / seconds, r.ownSessionsMessages / seconds] }))
  return barPanelsSvg(
    [
      {
        title: 'Command → last viewer',
        yLabel: 'ms (logarithmic)',
        log: true,
        groups: latencyGroups,
        series: [
          { name: 'p50', color: '#5b8def' },
          { name: 'p99', color: '#1f3f8f' },
        ],
        reference: { value: P99_TARGET_MS, label: `p99 target ${P99_TARGET_MS} ms` },
        format: (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)),
      },
      {
        title: `NATS messages per replica (${full ? short(full) : ''})`,
        yLabel: 'messages/s',
        groups: natsGroups,
        series: [
          { name: 'received', color: '#e67e22' },
          { name: "its sessions' traffic", color: '#27ae60' },
        ],
        format: (v) => v.toFixed(0),
      },
    ],
    `make bench-scale, ${new Date().toISOString().slice(0, 10)}; target: received ≤ ${NATS_RATIO_TARGET}× its sessions' traffic`,
  )
}
