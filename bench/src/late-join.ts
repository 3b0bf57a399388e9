/**
 * Late join: sessions with 1,000, 10,000 and 100,000 chat-heavy events; the time from opening
 * a socket to `welcome`, and to the first history page, on a replica that has to load the
 * session (cold) and on one that has it in memory (warm).
 *
 *   node --import tsx bench/src/late-join.ts [--events 1000,10000,100000] [--rounds 8] …
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createTestDatabase, percentile, randomNamespace, shuffled, startTestIssuer } from '@tandem/service-kit/testing'
import { loadSessionConfig } from '../../session-service/src/config.ts'
import { openEventStore } from '../../session-service/src/event-store/open-event-store.ts'
import { SessionRepository } from '../../session-service/src/stream/session-repository.ts'
import { timeJoin, type JoinTiming } from './late-join/join-timing.ts'
import { seedHistory } from './late-join/seed-history.ts'
import { cloneSession } from './late-join/clone-session.ts'
import { parseFlags } from './lib/flags.ts'
import { formatSummary, LatencyRecorder, type LatencySummary } from './lib/histogram.ts'
import { figure, fmt, status, writeResult } from './lib/output.ts'
import { progress } from './lib/progress.ts'
import { finish, newResult } from './lib/result.ts'
import { startSessionReplica } from './lib/session-replica.ts'
import { waitUntilIdle } from './lib/process-cpu.ts'

/** Target: welcome at the largest history within this multiple of the smallest, and under 50 ms. */
const LATE_JOIN_TARGET_RATIO = 1.2
const LATE_JOIN_TARGET_MS = 50
const WARM_UP_SESSIONS = 10

const defaultSnapshotEvery = loadSessionConfig({}).snapshotEvery
const flags = parseFlags('Late join: node --import tsx bench/src/late-join.ts [flags]', {
  events: { default: [1_000, 10_000, 100_000], help: 'history lengths, one session each' },
  rounds: { default: 8, help: 'fresh replicas, each timing one cold join per session' },
  copies: { default: 4, help: 'sessions per history length (copies of the first), so each replica has several cold ones' },
  warm: { default: 5, help: 'joins per session and round once the session is in memory' },
  'history-limit': { default: 50, help: 'events in the history page asked for after the welcome' },
  'snapshot-every': { default: defaultSnapshotEvery, help: "session-service's SNAPSHOT_EVERY" },
  'load-runs': { default: 50, help: 'in-process loads (snapshot + tail) per session' },
})
const sizes = [...flags.events].sort((a, b) => a - b)
const smallest = sizes[0]!
const largest = sizes[sizes.length - 1]!
const result = newResult('late-join', 'Late join vs history length', flags)

const db = await createTestDatabase('tandem_bench_late_join')
const issuer = await startTestIssuer()
try {
  const store = await openEventStore(db.url, { poolSize: 4 })
  const members = Array.from({ length: 8 }, () => randomUUID())
  const sessions = new Map<number, string>()
  const copies = new Map<number, string[]>()
  const sqlPool = new pg.Pool({ connectionString: db.url, max: 2 })
  for (const events of sizes) {
    const t0 = performance.now()
    const id = await seedHistory(store, { events, members, snapshotEvery: flags['snapshot-every'], onProgress: (done) => progress(`seeding ${fmt.int(events)} events`, done, events) })
    sessions.set(events, id)
    copies.set(events, [id])
    for (let c = 1; c < flags.copies; c++) copies.get(events)!.push(await cloneSession(sqlPool, id))
    status(`seeded ${fmt.int(events)} events (and ${flags.copies - 1} copies) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
  await sqlPool.end()
  // Small sessions long enough to have a snapshot, loaded first by every fresh replica: the first
  // loads of a process pay for the JWKS fetch and for compiling the code paths of a load.
  const warmUpSessions: string[] = []
  for (let i = 0; i < WARM_UP_SESSIONS; i++) warmUpSessions.push(await seedHistory(store, { events: 2 * flags['snapshot-every'] + 50, members, snapshotEvery: flags['snapshot-every'] }))

  // The store part alone, in this process: latest snapshot + the events after it.
  const repository = new SessionRepository(store.events, store.snapshots, { snapshotEvery: flags['snapshot-every'] })
  const loads: Record<string, LatencySummary & { eventsRead: number }> = {}
  for (const events of sizes) {
    const recorder = new LatencyRecorder()
    let eventsRead = 0
    for (let i = 0; i < flags['load-runs']; i++) {
      const t0 = performance.now()
      eventsRead = (await repository.load(sessions.get(events)!)).eventsRead
      recorder.record(performance.now() - t0)
    }
    loads[events] = { ...recorder.summary(), eventsRead }
  }
  await store.close()

  const token = issuer.sign(members[1]!)
  const cold = new Map(sizes.map((s) => [s, [] as JoinTiming[]]))
  /** Cold welcome at the largest history / at the smallest, within one group of joins. */
  const groupRatios: number[] = []
  const warmWelcome = new Map(sizes.map((s) => [s, new LatencyRecorder()]))
  const warmHistory = new Map(sizes.map((s) => [s, new LatencyRecorder()]))
  const namespace = randomNamespace()
  const startupMs: number[] = []
  for (let round = 0; round < flags.rounds; round++) {
    const replica = await startSessionReplica({
      eventStoreUrl: db.url,
      natsNamespace: namespace,
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      env: { SNAPSHOT_EVERY: String(flags['snapshot-every']) },
    })
    try {
      // A fresh replica rebuilds its lobby from every event in the store after it is ready; the
      // joins are timed once it has gone idle, so they measure loading a session and nothing else.
      startupMs.push(await waitUntilIdle(replica.child.pid))
      for (const id of warmUpSessions) await timeJoin(replica.wsUrl(id), token, flags['history-limit'])
      // One session of each length after the other, in random order, then the next copies: the
      // lengths are compared within each such group, which the machine's other work hits alike.
      for (let c = 0; c < flags.copies; c++) {
        const group = new Map<number, JoinTiming>()
        for (const events of shuffled(sizes)) group.set(events, await timeJoin(replica.wsUrl(copies.get(events)![c]!), token, flags['history-limit']))
        for (const [events, timing] of group) cold.get(events)!.push(timing)
        groupRatios.push(group.get(largest)!.welcomeMs / group.get(smallest)!.welcomeMs)
      }
      for (let i = 0; i < flags.warm; i++) {
        for (const events of sizes) {
          const t = await timeJoin(replica.wsUrl(sessions.get(events)!), token, flags['history-limit'])
          warmWelcome.get(events)!.record(t.welcomeMs)
          warmHistory.get(events)!.record(t.historyMs)
        }
      }
    } finally {
      await replica.stop()
    }
    progress('rounds (fresh replica each)', round + 1, flags.rounds)
  }

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const mid = sorted.length >> 1
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  const bySize: Record<string, unknown> = {}
  figure(`\n## Late join (snapshot every ${flags['snapshot-every']} events; cold = first join of a session on a fresh replica, ${flags.rounds} rounds × ${flags.copies} sessions per length)`)
  for (const events of sizes) {
    const c = cold.get(events)!
    const row = {
      coldWelcomeSamples: c.map((t) => Math.round(t.welcomeMs * 100) / 100),
      coldWelcomeMedian: median(c.map((t) => t.welcomeMs)),
      coldWelcomeP25: percentile(c.map((t) => t.welcomeMs), 25),
      coldWelcomeMax: Math.max(...c.map((t) => t.welcomeMs)),
      coldHistoryMedian: median(c.map((t) => t.historyMs)),
      warmWelcome: warmWelcome.get(events)!.summary(),
      warmHistory: warmHistory.get(events)!.summary(),
      storeLoad: loads[events]!,
    }
    bySize[events] = row
    figure(`${fmt.int(events).padStart(8)} events: cold welcome median ${fmt.ms(row.coldWelcomeMedian)} (p25 ${fmt.ms(row.coldWelcomeP25)}, max ${fmt.ms(row.coldWelcomeMax)}), cold first history page ${fmt.ms(row.coldHistoryMedian)}`)
    figure(`${''.padStart(15)} warm welcome  ${formatSummary(row.warmWelcome)}`)
    figure(`${''.padStart(15)} warm history  ${formatSummary(row.warmHistory)}`)
    figure(`${''.padStart(15)} store load    ${formatSummary(row.storeLoad)} (${row.storeLoad.eventsRead} events after the snapshot)`)
  }
  const totalEvents = sizes.reduce((a, b) => a + b, 0) * flags.copies
  figure(`a fresh replica kept working for ${fmt.ms(median(startupMs))} (median) after /readyz answered (its lobby rebuilds from all ${fmt.int(totalEvents)} events of the store)`)
  result.figures = { bySize, pairedWelcomeRatio: median(groupRatios), pairs: groupRatios.length, replicaBusyAfterStartMs: median(startupMs), eventsInStore: totalEvents }

  const at = (events: number) => bySize[events] as { coldWelcomeMedian: number; coldHistoryMedian: number; warmWelcome: LatencySummary; warmHistory: LatencySummary }
  const welcomeRatio = median(groupRatios)
  const historyRatio = at(largest).coldHistoryMedian / at(smallest).coldHistoryMedian
  const warmRatio = at(largest).warmWelcome.p50 / at(smallest).warmWelcome.p50
  figure(`cold welcome ${fmt.int(largest)} / ${fmt.int(smallest)}: median of ${groupRatios.length} paired ratios ${fmt.ratio(welcomeRatio)} (target ≤ ${LATE_JOIN_TARGET_RATIO}×), ratio of medians ${fmt.ratio(at(largest).coldWelcomeMedian / at(smallest).coldWelcomeMedian)}; first history page: ${fmt.ratio(historyRatio)}; warm welcome p50: ${fmt.ratio(warmRatio)}`)
  result.checks.push(
    {
      label: `welcome on a cold replica, ${fmt.int(largest)} / ${fmt.int(smallest)} events (median of ${groupRatios.length} paired joins)`,
      value: `${fmt.ratio(welcomeRatio)} (medians ${fmt.ms(at(largest).coldWelcomeMedian)} / ${fmt.ms(at(smallest).coldWelcomeMedian)})`,
      target: `≤ ${LATE_JOIN_TARGET_RATIO}×`,
      pass: welcomeRatio <= LATE_JOIN_TARGET_RATIO,
    },
    {
      label: `welcome on a cold replica at ${fmt.int(largest)} events (median)`,
      value: fmt.ms(at(largest).coldWelcomeMedian),
      target: `< ${LATE_JOIN_TARGET_MS} ms`,
      pass: at(largest).coldWelcomeMedian < LATE_JOIN_TARGET_MS,
    },
  )
  result.guarded.push({ key: 'late-join.cold_welcome_ratio', value: welcomeRatio, better: 'lower', target: LATE_JOIN_TARGET_RATIO })
} finally {
  await issuer.close()
  await db.drop()
}
writeResult(finish(result))
