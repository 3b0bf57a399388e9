/**
 * Quick figures for session-service on PostgreSQL (the full benchmark suite lives in bench/):
 *
 *   1. late join: time to `welcome` on the WebSocket and to load a session from the store
 *      (snapshot + tail) at 1,000 and at 100,000 events of history;
 *   2. append throughput of the PostgreSQL adapter: 100 sessions appending one event per
 *      command concurrently, against raw single-row INSERTs into a table of the same shape.
 *
 * Run from session-service/:  node --import tsx bench/store-and-late-join.ts
 * (PostgreSQL on 127.0.0.1:5432 and NATS on 127.0.0.1:4222, as for the tests.)
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createTestDatabase, randomNamespace, startTestIssuer } from '@tandem/service-kit/testing'
import { buildApp } from '../src/app.ts'
import { loadSessionConfig } from '../src/config.ts'
import { openEventStore } from '../src/event-store/open-event-store.ts'
import { SessionRepository } from '../src/sessions/session-repository.ts'
import { seedSession } from '../test/fixtures/seed-session.ts'
import { TestSocket } from '../test/fixtures/ws-client.ts'

const HISTORY_LENGTHS = [1_000, 100_000]
const LOAD_RUNS = 50
const WELCOME_RUNS = 50
const COLD_REPLICAS = 7
const SESSIONS = 100
const EVENTS_PER_SESSION = 200
const POOL_SIZE = 20

const log = (line: string) => process.stdout.write(`${line}\n`)
const ms = (n: number) => `${n.toFixed(2)} ms`

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return `median ${ms(at(0.5))}, p95 ${ms(at(0.95))}, max ${ms(sorted.at(-1)!)} (n=${samples.length})`
}

async function lateJoin(): Promise<void> {
  log('## Late join (PostgreSQL store, snapshot every 100 events)')
  const db = await createTestDatabase('tandem_bench_late_join')
  const issuer = await startTestIssuer()
  try {
    const store = await openEventStore(db.url, { poolSize: 4 })
    const repository = new SessionRepository(store.events, store.snapshots)
    const hostId = randomUUID()
    const viewer = randomUUID()
    const sessions: Array<{ length: number; id: string }> = []
    for (const length of HISTORY_LENGTHS) {
      const started = performance.now()
      const seeded = await seedSession(store, { events: length, hostId, memberIds: [viewer], batch: 500 })
      log(`seeded ${length.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      sessions.push({ length, id: seeded.id })
    }

    for (const { length, id } of sessions) {
      const samples: number[] = []
      let eventsRead = 0
      for (let i = 0; i < LOAD_RUNS; i++) {
        const t0 = performance.now()
        const loaded = await repository.load(id)
        samples.push(performance.now() - t0)
        eventsRead = loaded.eventsRead
      }
      log(`load from store at ${length.toLocaleString('en')} events: ${summary(samples)}; events read after the snapshot: ${eventsRead}`)
    }
    await store.close()

    const config = loadSessionConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      EVENT_STORE_URL: db.url,
      NATS_NAMESPACE: randomNamespace(),
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: issuer.issuer,
    })
    const token = issuer.sign(viewer)
    /** One fresh replica: the first welcome is cold (nothing in memory), then `warmRuns` more. */
    async function replicaRun(id: string, warmRuns: number): Promise<{ cold: number; warm: number[] }> {
      const app = await buildApp(config)
      try {
        const base = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws')}/v1/sessions`
        // Fetch the JWKS once (a hello to a session that does not exist), so that the cold figure
        // is the cost of loading the session, not of the first token verification.
        const warmUp = await TestSocket.open(`${base}/${randomUUID()}/ws`)
        warmUp.send({ type: 'hello', token })
        await warmUp.closed
        const samples: number[] = []
        for (let i = 0; i <= warmRuns; i++) {
          const socket = await TestSocket.open(`${base}/${id}/ws`)
          const t0 = performance.now()
          socket.send({ type: 'hello', token })
          await socket.next('welcome')
          samples.push(performance.now() - t0)
          await socket.close()
        }
        return { cold: samples[0]!, warm: samples.slice(1) }
      } finally {
        await app.close()
      }
    }
    // Warm the process up (JIT, connections) on both sessions before measuring anything.
    for (const { id } of sessions) await replicaRun(id, 5)
    for (const { length, id } of sessions) {
      const cold: number[] = []
      let warm: number[] = []
      for (let r = 0; r < COLD_REPLICAS; r++) {
        const run = await replicaRun(id, r === 0 ? WELCOME_RUNS : 0)
        cold.push(run.cold)
        if (r === 0) warm = run.warm
      }
      log(`welcome at ${length.toLocaleString('en')} events: fresh replica ${summary(cold)}; session already loaded ${summary(warm)}`)
    }
  } finally {
    await issuer.close()
    await db.drop()
  }
}

async function appendThroughput(): Promise<void> {
  log(`\n## Append throughput (${SESSIONS} sessions × ${EVENTS_PER_SESSION} single-event appends, pool of ${POOL_SIZE})`)
  const db = await createTestDatabase('tandem_bench_append')
  try {
    const store = await openEventStore(db.url, { poolSize: POOL_SIZE })
    const event = (n: number) => ({ type: 'ChatMessagePosted', data: { messageId: randomUUID(), text: `message ${n}`, videoPosition: n }, metadata: { at: Date.now(), by: 'bench', commandId: randomUUID() } })
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: SESSIONS }, async (_, s) => {
        const stream = `session-${randomUUID()}`
        let expected: number | 'no_stream' = 'no_stream'
        for (let i = 0; i < EVENTS_PER_SESSION; i++) {
          expected = (await store.events.append(stream, [event(i)], expected)).nextExpectedRevision
        }
        return s
      }),
    )
    const adapterSeconds = (performance.now() - t0) / 1000
    const total = SESSIONS * EVENTS_PER_SESSION
    const adapterRate = total / adapterSeconds
    log(`adapter append (expected revision checked): ${Math.round(adapterRate).toLocaleString('en')} events/s`)
    await store.close()

    // Raw baseline: the same table shape (columns, defaults, indexes), plain single-row INSERTs.
    const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE })
    pool.on('error', () => undefined)
    await pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)')
    const t1 = performance.now()
    await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const stream = `session-${randomUUID()}`
        for (let i = 0; i < EVENTS_PER_SESSION; i++) {
          const e = event(i)
          await pool.query('INSERT INTO raw_events (stream_id, stream_revision, event_id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)', [
            stream,
            i,
            randomUUID(),
            e.type,
            JSON.stringify(e.data),
            JSON.stringify(e.metadata),
          ])
        }
      }),
    )
    const rawRate = total / ((performance.now() - t1) / 1000)
    log(`raw single-row INSERT: ${Math.round(rawRate).toLocaleString('en')} rows/s`)
    log(`adapter / raw: ${(adapterRate / rawRate).toFixed(2)}`)
    await pool.end()
  } finally {
    await db.drop()
  }
}

log(`# session-service quick figures (${new Date().toISOString()}, node ${process.version})\n`)
await lateJoin()
await appendThroughput()
process.exit(0)
