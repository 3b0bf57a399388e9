/**
 * Lobby start: the time from `buildApp` until a replica's lobby has caught up with the store's
 * last event, with a store of 10,000 and 1,000,000 session events (many sessions, most ended, a
 * few thousand open), without a lobby checkpoint (the lobby reads the whole feed) and with one
 * (it reads the events saved after the checkpoint, `--tail` of them, as a replica finds when the
 * last checkpoint was saved that many events ago).
 *
 *   node --import tsx bench/src/lobby-start.ts [--events 10000,1000000] [--rounds 3] [--open 3000] [--tail 1000]
 *
 * Each start is its own process; the events are written with INSERT … SELECT generate_series in
 * the events table's format (seed-lobby-history.ts), into a database made for the run and dropped
 * after it.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { createTestDatabase, randomNamespace } from '@tandem/service-kit/testing'
import { openEventStore } from '../../session-service/src/event-store/open-event-store.ts'
import { loadSessionConfig } from '../../session-service/src/config.ts'
import { LOBBY_CHECKPOINT_NAME } from '../../session-service/src/lobby/lobby-checkpoint.ts'
import { EVENTS_PER_SESSION, seedSessions } from './lobby-start/seed-lobby-history.ts'
import { startChild } from './lib/child-process.ts'
import { parseFlags } from './lib/flags.ts'
import { figure, fmt, repoRoot, status, writeResult } from './lib/output.ts'
import { progress } from './lib/progress.ts'
import { finish, newResult } from './lib/result.ts'

const flags = parseFlags('Lobby start: node --import tsx bench/src/lobby-start.ts [flags]', {
  events: { default: [10_000, 1_000_000], help: 'session events in the store' },
  rounds: { default: 3, help: 'starts without and with a checkpoint, per store size' },
  open: { default: 3000, help: 'open sessions (at most a quarter of the sessions)' },
  tail: { default: 1000, help: 'events written after the checkpoint was saved, before each start with it' },
})
const result = newResult('lobby-start', 'Lobby start vs store size, with and without a checkpoint', flags)
const defaults = loadSessionConfig({}).lobbyCheckpoint
const entry = join(repoRoot, 'bench/src/lobby-start/start-replica.ts')

interface Start {
  builtMs: number
  caughtUpMs: number
  heapUsedMB: number
  polls: number
  closeMs: number
}

/** Writes new sessions, and last a public session with a fresh title: the one a start waits for. */
class StoreWriter {
  #nextSession = 0
  constructor(private readonly pool: pg.Pool) {}

  async sessions(count: number, open: number, onProgress?: (done: number) => void): Promise<void> {
    const from = this.#nextSession
    this.#nextSession += count
    await seedSessions(this.pool, { from, count, openFrom: from + count - open }, 10_000, onProgress)
  }

  async marker(): Promise<string> {
    const title = `lobbymarker${randomBytes(6).toString('hex')}`
    const host = '00000000-0000-4000-8000-000000000001'
    await this.pool.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
       VALUES ('session-' || gen_random_uuid(), 0, gen_random_uuid(), 'SessionCreated', $1, $2)`,
      [
        { title, videoUrl: 'https://videos.example/marker.mp4', hostId: host, controlMode: 'host', visibility: 'public' },
        { at: Date.now(), by: host, commandId: randomBytes(8).toString('hex') },
      ],
    )
    return title
  }
}

async function startOnce(dbUrl: string, marker: string): Promise<Start> {
  const child = startChild(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, LOBBY_START_DB: dbUrl, LOBBY_START_MARKER: marker, LOBBY_START_NAMESPACE: randomNamespace() },
  })
  const line = child.waitForLine(/^\{"builtMs".*\}$/, 900_000).catch(() => null)
  const code = await child.exited
  const printed = await line
  if (code !== 0 || !printed) throw new Error(`the replica exited with ${code}:\n${child.output()}`)
  return JSON.parse(printed[0]) as Start
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const bySize: Record<string, unknown> = {}
figure(`\n## Lobby start (buildApp → lobby caught up with the store's last event; ${flags.rounds} starts each, one process per start)`)
for (const events of flags.events) {
  const sessions = Math.round(events / EVENTS_PER_SESSION)
  const open = Math.min(flags.open, Math.floor(sessions / 4))
  const db = await createTestDatabase('tandem_bench_lobby_start')
  const pool = new pg.Pool({ connectionString: db.url, max: 2 })
  try {
    const migrated = await openEventStore(db.url)
    await migrated.close()
    const writer = new StoreWriter(pool)
    const t0 = performance.now()
    await writer.sessions(sessions, open, (done) => progress(`seeding ${fmt.int(events)} events`, done, sessions))
    await pool.query('VACUUM ANALYZE events')
    status(`seeded ${fmt.int(events)} events (${fmt.int(sessions)} sessions, ${fmt.int(open)} open) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const without: Start[] = []
    const withCheckpoint: Start[] = []
    for (let round = 0; round < flags.rounds; round++) {
      // Without: no checkpoint row, the whole feed. Stopping saves one at the head…
      await pool.query('DELETE FROM checkpoints WHERE name = $1', [LOBBY_CHECKPOINT_NAME])
      without.push(await startOnce(db.url, await writer.marker()))
      // …which the next start takes, after `tail` events written since (a few sessions, all ended).
      await writer.sessions(Math.ceil(flags.tail / EVENTS_PER_SESSION), 0)
      withCheckpoint.push(await startOnce(db.url, await writer.marker()))
      progress(`starts at ${fmt.int(events)} events`, round + 1, flags.rounds)
    }
    const { rows } = await pool.query<{ bytes: number; open: number }>(
      `SELECT octet_length(state::text) AS bytes, jsonb_array_length(state->'sessions') AS open FROM checkpoints WHERE name = $1`,
      [LOBBY_CHECKPOINT_NAME],
    )
    const summary = (starts: Start[]) => ({
      caughtUpMedianMs: median(starts.map((s) => s.caughtUpMs)),
      caughtUpMs: starts.map((s) => Math.round(s.caughtUpMs)),
      builtMedianMs: median(starts.map((s) => s.builtMs)),
      heapUsedMedianMB: median(starts.map((s) => s.heapUsedMB)),
      closeMedianMs: median(starts.map((s) => s.closeMs)),
    })
    const row = { sessions, open, without: summary(without), with: summary(withCheckpoint), checkpointBytes: rows[0]?.bytes, checkpointOpenSessions: rows[0]?.open }
    bySize[events] = row
    figure(
      `${fmt.int(events).padStart(9)} events (${fmt.int(sessions)} sessions, ${fmt.int(open)} open): ` +
        `without a checkpoint ${fmt.ms(row.without.caughtUpMedianMs)} (${row.without.caughtUpMs.join(', ')}; heap ${row.without.heapUsedMedianMB.toFixed(0)} MB), ` +
        `with one ${flags.tail} events behind ${fmt.ms(row.with.caughtUpMedianMs)} (${row.with.caughtUpMs.join(', ')}; heap ${row.with.heapUsedMedianMB.toFixed(0)} MB); ` +
        `checkpoint ${fmt.int((row.checkpointBytes ?? 0) / 1024)} KiB, ${row.checkpointOpenSessions} open sessions; buildApp alone ${fmt.ms(row.with.builtMedianMs)}`,
    )
  } finally {
    await pool.end()
    await db.drop()
  }
}
result.figures = { bySize, checkpointDefaults: defaults }
result.notes.push(
  'Median time from buildApp to the lobby listing the store’s last event, each start in a fresh process (the lobby asked every 5 ms).',
  `With a checkpoint, ${flags.tail} events were written after it was saved (LOBBY_CHECKPOINT_EVERY is ${defaults.every}).`,
)
writeResult(finish(result))
