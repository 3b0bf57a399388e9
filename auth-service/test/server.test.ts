import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, freePort, randomNamespace, waitFor } from '@tandem/service-kit/testing'
import { natsTopology } from '@tandem/contracts'
import { deleteStream, tempDir, type SignedInBody } from './fixtures/auth-app.ts'

const serverEntry = fileURLToPath(new URL('../src/server.ts', import.meta.url))

interface RunningServer {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function startServer(env: Record<string, string>): RunningServer {
  const child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

t.test('src/server.ts starts from environment variables, serves, logs no secret, and stops on SIGTERM', async (t) => {
  const database = await createTestDatabase('tandem_auth_test')
  t.teardown(() => database.drop())
  const dataDir = tempDir()
  const namespace = randomNamespace()
  t.teardown(() => {
    rmSync(dataDir, { recursive: true, force: true })
    return deleteStream('nats://127.0.0.1:4222', natsTopology(namespace).usersStream)
  })
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_NAMESPACE: namespace,
    AUTH_ISSUER: base,
    AUTH_DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    // the replayed token below is reuse at once, not a replay within the window
    REFRESH_REUSE_WINDOW_SECONDS: '0',
  })
  t.teardown(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL')
  })

  await waitFor(
    async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
    30_000,
    'auth-service to be ready',
  )
  t.same(await (await fetch(`${base}/readyz`)).json(), { status: 'ready', checks: { postgres: 'ok' } })

  const password = 'Sup3r-Secret-Passphrase'
  const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const registered = (await (await fetch(`${base}/v1/register`, json({ email: 'log@example.com', password, displayName: 'Log' }))).json()) as SignedInBody
  t.equal((await fetch(`${base}/v1/login`, json({ email: 'log@example.com', password: `${password}-wrong` }))).status, 401)
  const signedIn = (await (await fetch(`${base}/v1/login`, json({ email: 'log@example.com', password }))).json()) as SignedInBody
  const refreshed = (await (await fetch(`${base}/v1/refresh`, json({ refreshToken: signedIn.refreshToken }))).json()) as SignedInBody
  t.equal((await fetch(`${base}/v1/refresh`, json({ refreshToken: signedIn.refreshToken }))).status, 401, 'reuse')
  t.equal((await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${refreshed.accessToken}` } })).status, 200)
  t.equal((await fetch(`${base}/v1/register`, json({ email: 'log2@example.com', password: 'short', displayName: 'x' }))).status, 400)
  t.equal((await fetch(`${base}/v1/register`, json({ email: 'log2@example.com', password, displayName: 'x', extra: password }))).status, 400)
  t.equal((await fetch(`${base}/v1/logout`, json({ refreshToken: registered.refreshToken }))).status, 204)
  await waitFor(() => server.output().includes('outbox event published'), 10_000, 'the relay to publish')

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'exits cleanly on SIGTERM')

  const output = server.output()
  const lines = output.trim().split('\n')
  t.ok(lines.length > 10, `${lines.length} log lines captured`)
  t.ok(lines.every((line) => JSON.parse(line).service === 'auth-service'), 'every line is pino JSON from auth-service')
  t.match(output, /"msg":"user registered"/)
  t.match(output, /"msg":"closing"/)

  const secrets = {
    password,
    'wrong password': `${password}-wrong`,
    'access token': signedIn.accessToken,
    'refresh token (registration)': registered.refreshToken,
    'refresh token (login)': signedIn.refreshToken,
    'refresh token (rotated)': refreshed.refreshToken,
    'access token signature': refreshed.accessToken.split('.')[2]!,
  }
  for (const [name, secret] of Object.entries(secrets)) {
    t.notOk(output.includes(secret), `the ${name} never appears in the logs`)
  }
  const keyFile = readdirSync(join(dataDir, 'signing-keys'))[0]!
  const keyBody = readFileSync(join(dataDir, 'signing-keys', keyFile), 'utf8').split('\n')[1]!
  t.notOk(output.includes(keyBody) || output.includes('PRIVATE KEY'), 'nor does the signing key')
})

t.test('a bad variable stops the start with a message naming it', async (t) => {
  const server = startServer({ ACCESS_TOKEN_TTL_SECONDS: '86400' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /auth-service: invalid configuration: ACCESS_TOKEN_TTL_SECONDS must be <= 900/)
})
