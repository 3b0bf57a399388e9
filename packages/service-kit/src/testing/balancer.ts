import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { haproxyConfig, type BalancerConfigOptions } from '../balancer/haproxy-config.ts'
import { balancerServerStates } from '../balancer/admin-socket.ts'
import { freePort } from './nats-server.ts'
import { waitFor } from './wait-for.ts'

export const haproxyBinary = process.env.HAPROXY_BIN ?? 'haproxy'

export interface TestBalancer {
  /** `http://127.0.0.1:<port>`, the public session address */
  url: string
  port: number
  /** Each server's state as HAProxy sees it (`session-1` → `UP`, `DOWN`, `MAINT`, …). */
  serverStates(): Promise<Record<string, string>>
  /** Everything HAProxy logged so far. */
  output(): string
  stop(): Promise<void>
}

/** Runs HAProxy in front of `servers` (`host:port` each) on a free port, with Tandem's configuration. */
export async function startBalancer(
  servers: string[],
  options: Partial<Pick<BalancerConfigOptions, 'checkIntervalMs' | 'maxConnections'>> = {},
): Promise<TestBalancer> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tandem-haproxy-'))
  const adminSocket = join(dir, 'admin.sock')
  const configFile = join(dir, 'haproxy.cfg')
  writeFileSync(configFile, haproxyConfig({ bind: `127.0.0.1:${port}`, backends: { servers }, adminSocket, ...options }))
  let log = ''
  const child: ChildProcess = spawn(haproxyBinary, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const serverStates = () => balancerServerStates(adminSocket)
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${log}`)
      return (await serverStates().catch(() => undefined)) !== undefined
    }, 10_000, 'haproxy to start')
  } catch (err) {
    await stop()
    throw err
  }
  return { url: `http://127.0.0.1:${port}`, port, serverStates, output: () => log, stop }
}
