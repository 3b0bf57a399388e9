/**
 * Capacity: idle authenticated sockets held by one session-service process, and the memory each
 * costs (heap and RSS after full garbage collections), measured in steps as the sockets open;
 * extrapolated to sockets per GiB of heap from the slope.
 *
 *   node --import tsx bench/src/capacity.ts [--sockets 10000] [--per-session 20] [--clients 2]
 */
import { randomUUID } from 'node:crypto'
import { createTestDatabase, randomNamespace, startTestIssuer } from '@tandem/service-kit/testing'
import { HolderPool } from './capacity/holder-pool.ts'
import { forEachLimited } from './lib/concurrency.ts'
import { ensureFileLimit } from './lib/file-limit.ts'
import { parseFlags } from './lib/flags.ts'
import { figure, fmt, status, writeResult } from './lib/output.ts'
import { progress } from './lib/progress.ts'
import { finish, newResult } from './lib/result.ts'
import { startSessionReplica, type MemorySample } from './lib/session-replica.ts'
import { createSession } from './lib/tandem-client.ts'
import { waitUntilIdle } from './lib/process-cpu.ts'

/** The target, as docs/benchmarks.md states it. */
const CAPACITY_TARGET_PER_GIB = 20_000
const GIB = 1024 ** 3
const MIB = 1024 ** 2

const flags = parseFlags('Capacity: node --import tsx bench/src/capacity.ts [flags]', {
  sockets: { default: 10_000, help: 'idle sockets to open in total' },
  'per-session': { default: 20, help: 'sockets per session (each session is loaded once and shared by its sockets)' },
  clients: { default: 2, help: 'client processes holding the sockets' },
  steps: { default: 4, help: 'memory is sampled after each step' },
  'heap-mib': { default: 1024, help: "the replica's --max-old-space-size" },
})
ensureFileLimit(flags.sockets + 2048)
const result = newResult('capacity', 'Idle sockets per GiB of heap', flags)

const db = await createTestDatabase('tandem_bench_capacity')
const issuer = await startTestIssuer()
const replica = await startSessionReplica({
  eventStoreUrl: db.url,
  natsNamespace: randomNamespace(),
  jwksUrl: issuer.jwksUrl,
  issuer: issuer.issuer,
  nodeArgs: [`--max-old-space-size=${flags['heap-mib']}`],
  memoryProbe: true,
})
const holders = HolderPool.start(flags.clients)
try {
  const sessionCount = Math.ceil(flags.sockets / flags['per-session'])
  // a host per session: one user may hold only a few sessions open (MAX_OPEN_SESSIONS_PER_HOST)
  const sessions = await forEachLimited(Array.from({ length: sessionCount }), 8, 'sessions created', () => createSession(replica.httpUrl, issuer.sign(randomUUID())))
  // Sockets of one session are spread over the holders; each socket is a different user.
  const jobs = Array.from({ length: flags.sockets }, (_, i) => ({ url: replica.wsUrl(sessions[i % sessionCount]!.id), token: issuer.sign(randomUUID()) }))

  const samples: Array<{ sockets: number } & MemorySample> = [{ sockets: 0, ...(await replica.memory()) }]
  let opened = 0
  for (let step = 1; step <= flags.steps; step++) {
    const upTo = Math.round((flags.sockets * step) / flags.steps)
    const batch = jobs.slice(opened, upTo)
    const outcome = await holders.open(batch, 64, (n) => progress(`sockets open (step ${step}/${flags.steps})`, n, batch.length))
    if (outcome.failed > 0) throw new Error(`${outcome.failed} sockets failed to open: ${outcome.firstError}`)
    opened += outcome.opened
    await waitUntilIdle(replica.child.pid)
    const sample = { sockets: opened, ...(await replica.memory()) }
    samples.push(sample)
    status(`  ${fmt.int(opened)} sockets: heap ${(sample.heapUsed / MIB).toFixed(1)} MiB, rss ${(sample.rss / MIB).toFixed(1)} MiB`)
  }

  const heapPerSocket = slope(samples.map((s) => [s.sockets, s.heapUsed]))
  const rssPerSocket = slope(samples.map((s) => [s.sockets, s.rss]))
  const perGib = GIB / heapPerSocket
  const last = samples[samples.length - 1]!
  figure(`\n## Capacity (${fmt.int(flags.sockets)} idle authenticated sockets, ${flags['per-session']} per session, heap limit ${flags['heap-mib']} MiB)`)
  figure(`held ${fmt.int(last.sockets)} sockets: heap ${(last.heapUsed / MIB).toFixed(1)} MiB, rss ${(last.rss / MIB).toFixed(1)} MiB (at 0 sockets: heap ${(samples[0]!.heapUsed / MIB).toFixed(1)} MiB, rss ${(samples[0]!.rss / MIB).toFixed(1)} MiB)`)
  figure(`per socket (slope over ${samples.length} samples): heap ${(heapPerSocket / 1024).toFixed(1)} KiB, rss ${(rssPerSocket / 1024).toFixed(1)} KiB`)
  figure(`sockets per GiB of heap: ${fmt.int(perGib)} (target ≥ ${fmt.int(CAPACITY_TARGET_PER_GIB)})`)
  result.figures = { samples, heapPerSocket, rssPerSocket, socketsPerGibHeap: perGib, socketsPerGibRss: GIB / rssPerSocket }
  result.checks.push({
    label: 'idle authenticated sockets per GiB of heap',
    value: `${fmt.int(perGib)} (${(heapPerSocket / 1024).toFixed(1)} KiB each)`,
    target: `≥ ${fmt.int(CAPACITY_TARGET_PER_GIB)}`,
    pass: perGib >= CAPACITY_TARGET_PER_GIB,
  })
  result.guarded.push({ key: 'capacity.sockets_per_gib_heap', value: perGib, better: 'higher' })
} finally {
  await holders.close()
  await replica.stop()
  await issuer.close()
  await db.drop()
}
writeResult(finish(result))

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length
  const mx = points.reduce((s, [x]) => s + x, 0) / n
  const my = points.reduce((s, [, y]) => s + y, 0) / n
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  return sxy / sxx
}
