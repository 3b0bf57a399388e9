import type { FanoutSummary } from '../fanout/recorder.ts'
import type { LatencySummary } from '../lib/histogram.ts'
import type { BenchResult } from '../lib/result.ts'
import { barChart, int, lineChart, ms, ratio, table } from './markdown.ts'

const CHART_CAP_MS = 250
const reproduce = (command: string) => `Reproduce: \`${command}\` (\`--help\` lists the flags).`
const notes = (r: BenchResult) => (r.notes.length ? `\n${r.notes.map((n) => `- ${n}`).join('\n')}\n` : '')

export function fanoutSection(r: BenchResult): string {
  const p = r.params as { viewers: number[]; rate: number; commands: number; warmup: number; replicas: number }
  const runs = (r.figures as { runs: Record<string, Record<string, FanoutSummary>> }).runs
  const rows: Array<Array<string | number>> = []
  const charts: string[] = []
  for (const [key, run] of Object.entries(runs)) {
    const n = key.slice(1)
    for (const [system, s] of Object.entries(run)) {
      rows.push([
        int(Number(n)),
        system,
        `${ms(s.ack.p50)} / ${ms(s.ack.p99)}`,
        ms(s.lastViewer.p50),
        ms(s.lastViewer.p95),
        ms(s.lastViewer.p99),
        ms(s.lastViewer.max),
        s.lastViewerByGroup.length > 1 ? s.lastViewerByGroup.map((g) => ms(g.p50)).join(' / ') : '–',
        s.incomplete ? `${s.incomplete} (${s.lost} lost)` : '0',
      ])
    }
    charts.push(
      barChart(
        `Command to last of ${int(Number(n))} viewers (ms)`,
        'ms',
        Object.entries(run).flatMap(([system, s]) => [[`${system} p50`, s.lastViewer.p50] as [string, number], [`${system} p99`, s.lastViewer.p99] as [string, number]]),
      ),
    )
  }
  return `## 1. Fan-out latency

One session, N viewers, sockets spread over ${p.replicas} session-service replicas (separate
processes, as \`make up\` runs them, on a fresh database and NATS namespace). Every viewer
joined over REST first; viewer 0 (the host, on replica 1) sends \`seek\` commands with unique
positions at ${p.rate} per second (${p.warmup} untimed, then ${p.commands} timed). Timed in one
client process: command sent → its \`ack\` (after the durable append) and command sent → the
**last** of the N sockets received the \`PlaybackSeeked\` event (HDR histogram). The targets are
set at N = 200 and 1,000; other sizes are measured without one.

Baselines, with the same N clients and the same client code:
- **bare**: \`bench/src/baselines/bare-broadcast-server.ts\`, its own process, sends every frame it
  receives to every client; the sender sends the very \`event\` frame Tandem delivers. No storage,
  no checks. Tandem and bare alternate command by command in the same run, so a change in the
  machine's load hits both alike.
- **syncplay**: Debian's \`syncplay-server\` 1.6.9 (stores nothing), N clients in one room speaking
  its JSON-lines protocol as Syncplay's own client does (\`bench/src/baselines/syncplay-client.ts\`:
  Hello, then a \`State\` answer to every server \`State\`); the sender's seek is a forced \`State\`
  the server forwards to the room. Run on its own after the other two.

"ack" for the baselines is the sender's own copy. "last per replica": the last viewer among the
sockets of replica 1 (the sender's) and of replica 2 (reached over NATS). "incomplete": commands
some viewer had not received 10 s after the last command; "lost": of these, commands no viewer
received.

${table(['N', 'system', 'ack p50 / p99', 'last viewer p50', 'p95', 'p99', 'max', 'last per replica p50', 'incomplete'], rows)}

${charts.join('\n\n')}
${notes(r)}
${reproduce(`node --import tsx bench/src/fanout.ts --viewers ${p.viewers.join(',')} --rate ${p.rate} --commands ${p.commands}`)}
Add \`--profile\` to write CPU profiles of the replicas to \`bench/results/profiles/\`, and
summarise them with \`node --import tsx bench/src/tools/profile-summary.ts <file>\`.
`
}

interface LateJoinRow {
  coldWelcomeMedian: number
  coldWelcomeP25: number
  coldWelcomeMax: number
  coldHistoryMedian: number
  warmWelcome: LatencySummary
  warmHistory: LatencySummary
  storeLoad: LatencySummary & { eventsRead: number }
}

export function lateJoinSection(r: BenchResult): string {
  const p = r.params as { events: number[]; rounds: number; copies: number; warm: number; 'history-limit': number; 'snapshot-every': number }
  const f = r.figures as { bySize: Record<string, LateJoinRow>; pairedWelcomeRatio: number; pairs: number; replicaBusyAfterStartMs: number; eventsInStore: number }
  const sizes = p.events.map(int)
  const rows = Object.entries(f.bySize).map(([events, row]) => [
    int(Number(events)),
    ms(row.coldWelcomeMedian),
    ms(row.coldWelcomeP25),
    ms(row.coldWelcomeMax),
    ms(row.coldHistoryMedian),
    `${ms(row.warmWelcome.p50)} / ${ms(row.warmWelcome.p95)}`,
    `${ms(row.warmHistory.p50)} / ${ms(row.warmHistory.p95)}`,
    `${ms(row.storeLoad.p50)} (${row.storeLoad.eventsRead} events)`,
  ])
  return `## 2. Late join vs history length

Sessions with ${p.events.map(int).join(', ')} events (8 in 10 chat messages, the rest seeks, plays
and pauses by 8 members), written straight to the PostgreSQL store in batches, with a snapshot
every ${p['snapshot-every']} events as session-service takes them (\`SNAPSHOT_EVERY\`). Timed from
creating the socket to \`welcome\`, and to the first history page (\`history{limit:
${p['history-limit']}}\`, sent on the welcome).
**Cold**: the first join of a session on a freshly started replica process, so the session is
loaded from its snapshot and the events after it: ${p.rounds} replicas, each joining ${p.copies} sessions of
every length (the first written through the adapter, the others SQL copies of it) in groups of
one per length in random order. The target compares lengths **within** each group (the median of
the ${f.pairs} ratios ${sizes[sizes.length - 1]} / ${sizes[0]}: **${ratio(f.pairedWelcomeRatio)}**), because the
machine's other work moves single joins by tens of ms; the p25 column shows the cost when nothing
interferes. **Warm**: ${p.warm} more joins per session and replica, the session in memory. **Store
load**: \`SessionRepository.load\` alone, in-process.

${table(['events', 'cold welcome (median)', 'cold p25', 'cold max', 'cold history page (median)', 'warm welcome p50 / p95', 'warm history p50 / p95', 'store load p50'], rows)}

A freshly started replica kept using more than a tenth of a core for ${ms(f.replicaBusyAfterStartMs)} (median,
sampled every 300 ms) after \`/readyz\` answered, while its lobby projection rebuilt the list of
open sessions from every event in the store (${int(f.eventsInStore)} here); the cold joins above are
timed once it had gone idle, after joins of 10 other small sessions, so they measure loading
their session, not the first JWKS fetch or compiling the code.
${notes(r)}
${reproduce(`node --import tsx bench/src/late-join.ts --events ${p.events.join(',')} --rounds ${p.rounds} --copies ${p.copies}`)}
`
}

export function appendSection(r: BenchResult): string {
  const p = r.params as { sessions: number; events: number; pool: number }
  type Pair = { adapter: number; raw: number; latency: LatencySummary }
  const f = r.figures as { postgres: Pair; postgresNoFlush?: Pair; esdb?: number }
  const row = (label: string, pair: Pair) => [label, `${int(pair.adapter)} events/s`, `${int(pair.raw)} rows/s`, ratio(pair.adapter / pair.raw), `${ms(pair.latency.p50)} / ${ms(pair.latency.p99)}`]
  const rows: Array<Array<string | number>> = [row('PostgreSQL, as deployed (synchronous_commit=on)', f.postgres)]
  if (f.postgresNoFlush) rows.push(row('diagnostic: synchronous_commit=off', f.postgresNoFlush))
  if (f.esdb !== undefined) rows.push(['EventStoreDB adapter', `${int(f.esdb)} events/s`, '–', '–', '–'])
  return `## 3. Append throughput

${p.sessions} sessions append concurrently, each ${p.events} single-event appends one after the other
with its expected revision (what session-service does for one command at a time), through the
PostgreSQL adapter with a pool of ${p.pool} connections (session-service's default). Baseline: the
same rows as plain single-row \`INSERT\`s through \`pg\` into a copy of the events table (\`LIKE
events INCLUDING ALL\`: same columns, defaults, unique and ordering indexes), same pool and
concurrency. The diagnostic row repeats both with \`synchronous_commit=off\` for these connections
only, to show what waiting for the WAL flush costs; it is not a deployment setting. "One append":
a single session appending alone, one event at a time, each timed: the store's share of the time
from a command to its ack.

${table(['store', 'adapter', 'raw INSERT', 'adapter / raw', 'one append p50 / p99'], rows)}
${notes(r)}
${reproduce(`node --import tsx bench/src/append-throughput.ts --sessions ${p.sessions} --events ${p.events}`)}
With \`ESDB_URL=esdb://host:2113?tls=false\` the EventStoreDB adapter is measured too.
`
}

export function capacitySection(r: BenchResult): string {
  const p = r.params as { sockets: number; 'per-session': number; clients: number; 'heap-mib': number }
  const f = r.figures as { samples: Array<{ sockets: number; heapUsed: number; rss: number }>; heapPerSocket: number; rssPerSocket: number; socketsPerGibHeap: number }
  const MIB = 1024 ** 2
  const rows = f.samples.map((s) => [int(s.sockets), `${(s.heapUsed / MIB).toFixed(1)} MiB`, `${(s.rss / MIB).toFixed(1)} MiB`])
  return `## 4. Capacity

One session-service process (\`--max-old-space-size=${p['heap-mib']}\`) holds ${int(p.sockets)} idle
sockets, each of a different user, each authenticated (\`hello\` with a valid token, \`welcome\`
received), ${p['per-session']} per session, opened from ${p.clients} client processes in steps. After
each step the process collects garbage twice (\`--expose-gc\`, through a preloaded probe,
\`bench/src/lib/memory-probe.ts\`) and reports \`process.memoryUsage()\`. The cost per socket is
the least-squares slope over the steps; it includes each session's share (one loaded session per
${p['per-session']} sockets).

${table(['sockets', 'heap used', 'RSS'], rows)}

Per socket: **${(f.heapPerSocket / 1024).toFixed(1)} KiB of heap**, ${(f.rssPerSocket / 1024).toFixed(1)} KiB of RSS, so
**${int(f.socketsPerGibHeap)} sockets per GiB of heap** (kernel socket buffers are not in either
figure). The descriptor limit (\`ulimit -n\`), not memory, bounds one process here.
${notes(r)}
${reproduce(`node --import tsx bench/src/capacity.ts --sockets ${p.sockets} --per-session ${p['per-session']}`)}
`
}

export function syncSection(r: BenchResult): string {
  const p = r.params as { 'phase-seconds': number; 'settle-seconds': number; 'sample-ms': number }
  const f = r.figures as {
    settled: Record<'on' | 'off', { p50: number; p95: number; max: number; n: number; driftP95: number }>
    perPhase: Record<string, Record<string, { p50: number; p95: number; max: number; n: number; driftP95: number }>>
    series: Record<string, Record<string, Array<{ t: number; spreadMs: number }>>>
    recovery?: Record<'on' | 'off', { backAfterS: number | null; endSpreadMs: number }>
  }
  const phases = Object.keys(f.perPhase.on ?? {})
  const recovery = (mode: 'on' | 'off') => {
    const r = f.recovery?.[mode]
    if (!r) return ['–', '–']
    return [r.backAfterS === null ? `not within ${p['phase-seconds']} s` : `${r.backAfterS.toFixed(1)} s`, ms(r.endSpreadMs)]
  }
  const cells = (s: { p50: number; p95: number; driftP95: number } | undefined) => [`${ms(s?.p50)} / ${ms(s?.p95)}`, ms(s?.driftP95)]
  const rows = phases.map((phase) => [phase, ...cells(f.perPhase.on?.[phase]), ...cells(f.perPhase.off?.[phase])])
  rows.push(['**all settled samples**', ...cells(f.settled.on).map((c) => `**${c}**`), ...cells(f.settled.off).map((c) => `**${c}**`)])
  // One point per second of each phase (the largest spread in that second), phases end to end.
  const perSecond = (mode: string) =>
    phases.flatMap((phase) => {
      const points = f.series[mode]?.[phase] ?? []
      return Array.from({ length: p['phase-seconds'] }, (_, s) => Math.max(0, ...points.filter((pt) => pt.t >= s && pt.t < s + 1).map((pt) => pt.spreadMs)))
    })
  const xs = Array.from({ length: phases.length * p['phase-seconds'] }, (_, i) => i)
  return `## 5. Sync accuracy in two browsers

The whole system started as \`make up\` does (\`startNativeSystem()\`), two headless chromium
players (Debian's \`/usr/bin/chromium\` through playwright-core) on the sample video
(\`web/static/media/sample.webm\`), each signed up through the pages: Ada's page and socket on a
web server pinned to session-service replica 1, Ben's on one pinned to replica 2, so every change
Ben sees has crossed NATS. Ada makes the changes below with the page's own controls; after each,
both players are sampled every ${p['sample-ms']} ms for ${p['phase-seconds']} s through the page's probe
(\`window.tandemWatch.sample()\`), and the spread is |a − b| with b's reading moved to a's
instant. **Settled** counts samples from ${p['settle-seconds']} s after a change. Baseline, same run,
new session: both viewers with "Keep my player in sync with the room" off (profile preference),
so the players follow every play, pause, seek and rate change but are not corrected afterwards.

${table(['after', 'on: spread p50 / p95', 'on: |drift| p95', 'off: spread p50 / p95', 'off: |drift| p95'], rows)}

"|drift|": each player against where the shared timeline is by its own estimate of the server
clock (what the sync engine corrects), both players pooled.

**A hiccup.** After the shared changes, Ben's player alone is set back 300 ms (as a decoder
stall or a busy tab would), below the 400 ms at which even a player without correction jumps.
Time until the spread is back within 50 ms for good, and the spread over the last second of the
${p['phase-seconds']} s:

${table(['', 'back within 50 ms after', 'spread at the end'], [['correction on', ...recovery('on')], ['correction off', ...recovery('off')]])}

Largest spread in each second, the changes end to end (${phases.join(', ')}; ${p['phase-seconds']} s each), first line correction on, second off;
drawn up to ${CHART_CAP_MS} ms (the first second after a jump, when one player has jumped and the other not yet, goes
far above):

${lineChart('Inter-player spread over time (ms)', 's', xs, 'ms', [perSecond('on'), perSecond('off')], CHART_CAP_MS)}
${notes(r)}
${reproduce(`node --import tsx bench/src/sync-accuracy.ts --phase-seconds ${p['phase-seconds']}`)}
`
}

export function sourceChangeSection(r: BenchResult): string {
  const p = r.params as { viewers: number; rounds: number; warmup: number }
  type Summary = { n: number; p50: number; p95: number; max: number }
  const f = r.figures as { sourceChange: Summary; seek: Summary; perViewer: Array<{ sourceChange: Summary; seek: Summary }> }
  const row = (label: string, s: Summary) => [label, ms(s.p50), ms(s.p95), ms(s.max)]
  const rows = [
    row(`**skip → new item playing, last of ${p.viewers}**`, f.sourceChange),
    row(`seek → seeked, last of ${p.viewers} (baseline)`, f.seek),
    ...f.perViewer.map((v, i) => row(`viewer ${i + 1} (replica ${(i % 2) + 1}): skip → playing`, v.sourceChange)),
  ]
  return `## 6. Source change in three browsers

The whole system started as \`make up\` does, ${p.viewers} headless chromium viewers signed up through the
pages and joined from the session's page; every other viewer's page and socket go through a second
web server and session-service replica 2 (so what it sees has crossed NATS). A director, a protocol
client on replica 1 and the session's host, queued ${p.warmup + p.rounds} items (the sample video
under a different URL each, \`sample.webm?item=k\`, so each is a new source to the browser) and
started playback. Each round, while everyone plays in step: the director sends \`advance {reason:
'skip'}\` and each viewer's \`<video>\` is timed (one clock: the machine's) from the send until it fires
\`playing\` with the new item's URL as \`currentSrc\`; then, as the baseline, a \`seek\` to a new
position, timed until \`seeked\` there. ${p.rounds} timed rounds after ${p.warmup} untimed; the figure is
the **last** of the viewers.

${table(['', 'p50', 'p95', 'max'], rows)}

The player today switches \`src\` when \`VideoChanged\` arrives and the sync engine plays the new
item from where the shared clock says it is, so a change costs a fan-out (as in section 1) plus
a media load in every browser; a seek costs the same fan-out plus a seek in an already loaded file.
${notes(r)}
${reproduce(`node --import tsx bench/src/source-change.ts --viewers ${p.viewers} --rounds ${p.rounds}`)}
`
}
