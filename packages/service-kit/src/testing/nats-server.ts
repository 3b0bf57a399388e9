import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'

export const natsServerBinary = process.env.NATS_SERVER_BIN ?? 'nats-server'

/** A random namespace for NATS subjects and streams, so parallel test runs never meet. */
export function randomNamespace(): string {
  return `t${randomBytes(5).toString('hex')}`
}

export interface TestNatsServer {
  url: string
  port: number
  stop(): Promise<void>
  /** Starts it again on the same port, with the same JetStream storage. */
  start(): Promise<void>
  /** Stops it and deletes its storage. */
  destroy(): Promise<void>
}

/** Runs a private nats-server with JetStream on a free port, for tests that stop and restart it. */
export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort()
  const storeDir = mkdtempSync(join(tmpdir(), 'tandem-nats-'))
  let child: ChildProcess | undefined

  async function start(): Promise<void> {
    child = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' })
    await waitForPort(port, 10_000)
  }
  async function stop(): Promise<void> {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
    })
  }
  await start()
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async destroy() {
      await stop()
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1')
      s.once('connect', () => { s.destroy(); resolve(true) })
      s.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`nats-server did not open port ${port}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
