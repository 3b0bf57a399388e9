import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { adminDatabaseUrl } from './test-database.ts'
import { freePort } from './nats-server.ts'
import { balancerConnections, balancerServerStates } from '../balancer/admin-socket.ts'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))

export interface NativeSystem {
  webUrl: string
  authUrl: string
  /** auth-service's database, for tests that move its clock (a sign-in's end) */
  authDatabaseUrl: string
  profileUrl: string
  /** the public session address: HAProxy in front of the replicas (what web and browsers use) */
  sessionUrl: string
  /** the two session-service replicas, directly (for tests that must pick one) */
  sessionUrls: [string, string]
  /** HAProxy's view of the replicas (`session-1`, `session-2` → `UP`, `DOWN`, …), from its admin socket */
  balancerStates(): Promise<Record<string, string>>
  /** The replica (`session-1`, `session-2`) each client connection through HAProxy is on, by the client's local port */
  balancerConnections(): Promise<Map<number, string>>
  /** session-service's database (the event store) */
  sessionDatabaseUrl: string
  runDir: string
  /** output of the first `make up` */
  upOutput: string
  /** `make up` again (it must be harmless); returns its output */
  up(): Promise<string>
  /** `make down`; returns its output */
  down(): Promise<string>
  /** `make down`, then drop the databases and delete the run folder */
  destroy(): Promise<void>
}

/**
 * Starts the whole of Tandem as `make up` does in native mode, on free ports, with its own
 * databases, run folder and NATS namespace, so it never meets a copy a developer is running.
 */
export async function startNativeSystem(opts: { natsUrl?: string; env?: Record<string, string> } = {}): Promise<NativeSystem> {
  const [web, auth, profile, session, session1, session2] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()])
  const runDir = mkdtempSync(join(tmpdir(), 'tandem-native-'))
  const prefix = `tandem_sys_${randomBytes(4).toString('hex')}`
  const admin = new URL(adminDatabaseUrl)
  const env = {
    ...process.env,
    TANDEM_RUN_DIR: runDir,
    TANDEM_DB_PREFIX: prefix,
    PG_URL: `${admin.protocol}//${admin.username ? `${admin.username}@` : ''}${admin.host}`,
    NATS_URL: opts.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    NATS_NAMESPACE: `sys${randomBytes(4).toString('hex')}`,
    WEB_PORT: String(web),
    AUTH_PORT: String(auth),
    PROFILE_PORT: String(profile),
    SESSION_PORT: String(session),
    SESSION_REPLICA_1_PORT: String(session1),
    SESSION_REPLICA_2_PORT: String(session2),
    LOG_LEVEL: 'info',
    // the watch page's window.tandemWatch, which browser tests and the sync bench measure with
    PUBLIC_TANDEM_TEST_PROBE: '1',
    // e.g. small rate limits for a test; every process sees them
    ...opts.env,
  }
  // `make up` / `make down` minus make's install step (npm ci), which must not run mid-test
  const make = (target: 'up' | 'down') => run(`scripts/${target}.sh`, [], { cwd: repoRoot, env, maxBuffer: 10 * 1024 * 1024 })
  const base = (port: number) => `http://127.0.0.1:${port}`
  let upOutput: string
  try {
    const { stdout, stderr } = await make('up')
    upOutput = stdout + stderr
  } catch (err) {
    await make('down').catch(() => {})
    throw err
  }
  const output = (target: 'up' | 'down') => async () => {
    const { stdout, stderr } = await make(target)
    return stdout + stderr
  }
  const down = output('down')
  return {
    webUrl: base(web),
    authUrl: base(auth),
    authDatabaseUrl: `${env.PG_URL}/${prefix}_auth`,
    profileUrl: base(profile),
    sessionUrl: base(session),
    sessionUrls: [base(session1), base(session2)],
    // the admin socket's path as scripts/native/env.sh gives it
    balancerStates: () => balancerServerStates(join(runDir, 'haproxy.sock')),
    balancerConnections: () => balancerConnections(join(runDir, 'haproxy.sock')),
    sessionDatabaseUrl: `${env.PG_URL}/${prefix}_session`,
    runDir,
    upOutput,
    up: output('up'),
    down,
    async destroy() {
      await down().catch(() => {})
      // side by side: each drop waits for a checkpoint, and drops waiting at once share the next one
      await Promise.all(
        ['auth', 'profile', 'session'].map(async (db) => {
          const client = new pg.Client({ connectionString: adminDatabaseUrl })
          await client.connect()
          try {
            await client.query(`DROP DATABASE IF EXISTS "${prefix}_${db}" WITH (FORCE)`)
          } finally {
            await client.end()
          }
        }),
      )
      rmSync(runDir, { recursive: true, force: true })
    },
  }
}
