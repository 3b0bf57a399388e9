import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { connect } from 'nats'
import { natsTopology } from '@tandem/contracts'
import { createTestDatabase, freePort, randomNamespace, startTestIssuer, waitFor } from '@tandem/service-kit/testing'

const serverEntry = fileURLToPath(new URL('../src/server.ts', import.meta.url))

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

t.test('the entry point starts from environment variables, serves /readyz and stops on SIGTERM', async (t) => {
  const db = await createTestDatabase('tandem_profile_test')
  const issuer = await startTestIssuer()
  t.teardown(async () => {
    await issuer.close()
    await db.drop()
  })
  const port = await freePort()
  const namespace = randomNamespace()
  t.teardown(async () => {
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' })
    const jsm = await nc.jetstreamManager()
    const topology = natsTopology(namespace)
    for (const stream of [topology.usersStream, topology.profilesStream]) await jsm.streams.delete(stream).catch(() => false)
    await nc.close()
  })
  const server = startServer({
    PORT: String(port),
    PROFILE_STORE_URL: db.url,
    NATS_URL: 'nats://127.0.0.1:4222',
    NATS_NAMESPACE: namespace,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    LOG_LEVEL: 'warn',
  })
  t.teardown(() => void server.child.kill('SIGKILL'))

  const ready = await waitFor(
    () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => (r.ok ? r.json() : null), () => null),
    15_000,
    'the server to be ready',
  )
  t.same(ready, { status: 'ready', checks: { store: 'ok' } })
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'exits cleanly')
})

t.test('bad configuration stops it at once with a message naming the variable', async (t) => {
  const server = startServer({ PROFILE_STORE_URL: 'postgres://localhost/x', AUTH_ISSUER: 'x' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /profile-service: invalid configuration: AUTH_JWKS_URL is required/)
})
