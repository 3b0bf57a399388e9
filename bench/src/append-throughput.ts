/**
 * Append throughput: events/s into the event store adapter from concurrent sessions, each
 * appending one event per command with its expected revision (as session-service does), against
 * raw single-row INSERTs through `pg` into a table of the same shape, same pool and concurrency.
 *
 *   node --import tsx bench/src/append-throughput.ts [--sessions 100] [--events 100] [--pool 20]
 *
 * The EventStoreDB adapter is measured too when ESDB_URL is set (esdb://host:2113?tls=false).
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createTestDatabase } from '@tandem/service-kit/testing'
import { loadSessionConfig } from '../../session-service/src/config.ts'
import type { EventStore, NewEvent } from '../../session-service/src/event-store/event-store.ts'
import { openEventStore } from '../../session-service/src/event-store/open-event-store.ts'
import { parseFlags } from './lib/flags.ts'
import { formatSummary, LatencyRecorder, type LatencySummary } from './lib/histogram.ts'
import { figure, fmt, status, writeResult } from './lib/output.ts'
import { progress } from './lib/progress.ts'
import { finish, newResult } from './lib/result.ts'

/** The target, as docs/benchmarks.md states it. */
const APPEND_TARGET_RATE = 5000
const APPEND_TARGET_RATIO = 0.5

const flags = parseFlags('Append throughput: node --import tsx bench/src/append-throughput.ts [flags]', {
  sessions: { default: 100, help: 'sessions appending concurrently' },
  events: { default: 100, help: 'single-event appends per session' },
  pool: { default: loadSessionConfig({}).eventStorePoolSize, help: "connections (session-service's EVENT_STORE_POOL_SIZE)" },
  'latency-appends': { default: 200, help: 'appends of one session alone, timed one by one' },
  diagnose: { default: true, help: 'also run both with synchronous_commit=off, to show what the disk flush costs' },
})
const result = newResult('append-throughput', 'Append throughput', { ...flags, esdb: Boolean(process.env.ESDB_URL) })
const total = flags.sessions * flags.events

const chatEvent = (n: number): NewEvent => ({
  type: 'ChatMessagePosted',
  data: { messageId: randomUUID(), text: `message number ${n}, about this scene`, videoPosition: n * 1.5 },
  metadata: { at: Date.now(), by: randomUUID(), commandId: randomUUID() },
})

/** Runs `appendOne(session, n)` for every session concurrently, each session's appends in order; events/s. */
async function measure(label: string, appendOne: (session: number, n: number) => Promise<void>): Promise<number> {
  let done = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: flags.sessions }, async (_, session) => {
      for (let n = 0; n < flags.events; n++) {
        await appendOne(session, n)
        progress(label, ++done, total)
      }
    }),
  )
  return total / ((performance.now() - t0) / 1000)
}

/** One session appending alone, one event at a time: what a command waits for before its ack. */
async function adapterLatency(events: EventStore, count: number): Promise<LatencySummary> {
  const recorder = new LatencyRecorder()
  const stream = `session-${randomUUID()}`
  let expected: number | 'no_stream' = 'no_stream'
  for (let n = 0; n < count; n++) {
    const t0 = performance.now()
    expected = (await events.append(stream, [chatEvent(n)], expected)).nextExpectedRevision
    recorder.record(performance.now() - t0)
  }
  return recorder.summary()
}

async function adapterRate(events: EventStore, label: string): Promise<number> {
  const streams = Array.from({ length: flags.sessions }, () => `session-${randomUUID()}`)
  const expected: Array<number | 'no_stream'> = streams.map(() => 'no_stream')
  return measure(label, async (s, n) => {
    expected[s] = (await events.append(streams[s]!, [chatEvent(n)], expected[s]!)).nextExpectedRevision
  })
}

/** The same rows into `raw_events` (a copy of the events table with its defaults and indexes). */
async function rawRate(url: string, label: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: flags.pool })
  pool.on('error', () => undefined)
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS raw_events (LIKE events INCLUDING ALL)')
    const streams = Array.from({ length: flags.sessions }, () => `session-${randomUUID()}`)
    return await measure(label, async (s, n) => {
      const e = chatEvent(n)
      await pool.query('INSERT INTO raw_events (stream_id, stream_revision, event_id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)', [
        streams[s],
        n,
        randomUUID(),
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
      ])
    })
  } finally {
    await pool.end()
  }
}

async function postgresPair(url: string, what: string): Promise<{ adapter: number; raw: number; latency: LatencySummary }> {
  const store = await openEventStore(url, { poolSize: flags.pool })
  let adapter: number
  let latency: LatencySummary
  try {
    latency = await adapterLatency(store.events, flags['latency-appends'])
    adapter = await adapterRate(store.events, `${what}: adapter`)
  } finally {
    await store.close()
  }
  const raw = await rawRate(url, `${what}: raw INSERT`)
  return { adapter, raw, latency }
}

const db = await createTestDatabase('tandem_bench_append')
try {
  figure(`\n## Append throughput (${flags.sessions} sessions × ${flags.events} single-event appends, pool of ${flags.pool})`)
  const durable = await postgresPair(db.url, 'postgres')
  const ratio = durable.adapter / durable.raw
  figure(`PostgreSQL adapter (expected revision checked): ${fmt.int(durable.adapter)} events/s`)
  figure(`raw single-row INSERT, same table shape:       ${fmt.int(durable.raw)} rows/s`)
  figure(`adapter / raw: ${fmt.ratio(ratio)}`)
  figure(`one append, one session alone: ${formatSummary(durable.latency)}`)
  result.figures.postgres = durable
  result.checks.push(
    { label: `PostgreSQL adapter, ${flags.sessions} concurrent sessions`, value: `${fmt.int(durable.adapter)} events/s`, target: `≥ ${fmt.int(APPEND_TARGET_RATE)} events/s`, pass: durable.adapter >= APPEND_TARGET_RATE },
    { label: 'PostgreSQL adapter / raw single-row INSERT', value: `${fmt.int(durable.adapter)} / ${fmt.int(durable.raw)} = ${fmt.ratio(ratio)}`, target: `≥ ${APPEND_TARGET_RATIO}×`, pass: ratio >= APPEND_TARGET_RATIO },
  )
  result.guarded.push({ key: 'append-throughput.adapter_vs_raw', value: ratio, better: 'higher', target: APPEND_TARGET_RATIO })

  if (flags.diagnose) {
    // Same database, but each commit returns before its WAL record is flushed to disk.
    const url = new URL(db.url)
    url.searchParams.set('options', '-c synchronous_commit=off')
    const noFlush = await postgresPair(url.toString(), 'postgres, synchronous_commit=off')
    figure(`diagnostic, synchronous_commit=off: adapter ${fmt.int(noFlush.adapter)} events/s, raw ${fmt.int(noFlush.raw)} rows/s (${fmt.ratio(noFlush.adapter / noFlush.raw)}); one append ${formatSummary(noFlush.latency)}`)
    result.figures.postgresNoFlush = noFlush
  }

  const esdbUrl = process.env.ESDB_URL
  if (esdbUrl) {
    const store = await openEventStore(esdbUrl)
    try {
      const rate = await adapterRate(store.events, 'esdb: adapter')
      figure(`EventStoreDB adapter: ${fmt.int(rate)} events/s`)
      result.figures.esdb = rate
    } finally {
      await store.close()
    }
  } else {
    figure('EventStoreDB adapter: skipped (set ESDB_URL=esdb://host:2113?tls=false to measure it)')
    result.notes.push('EventStoreDB adapter not measured: no EventStoreDB here (set ESDB_URL to measure it).')
  }
} finally {
  await db.drop()
}
status('')
writeResult(finish(result))
