import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminCommand, haproxyConfig } from '@tandem/service-kit/balancer'
import { freePort, haproxyBinary, waitFor } from '@tandem/service-kit/testing'
import { startChild, type Child } from '../lib/child-process.ts'

/** The response header naming the replica (HAProxy's server name) that took a request or socket. */
export const SERVED_BY_HEADER = 'x-tandem-server'

export interface BalancerPool {
  /** `http://127.0.0.1:<port>`: the one public address every process listens on. */
  url: string
  readonly processes: Child[]
  /** Client connections each HAProxy process holds now (`show info` CurrConns). */
  currentConnections(): Promise<number[]>
  /** Every server UP in every process. */
  allUp(): Promise<boolean>
  /** Per server (`session-1`, …), summed over the processes: failed health checks and times taken out of the pool. */
  checkFailures(): Promise<Map<string, { failedChecks: number; takenOut: number }>>
  stop(): Promise<void>
}

/**
 * `count` HAProxy processes on one port (HAProxy binds with SO_REUSEPORT, so the kernel spreads
 * new connections among them), each with Tandem's generated configuration. One process holds at
 * most ≈ 9,900 proxied sockets under a 20,000 open-file limit (two descriptors each), hence
 * several. The bench adds one response header naming the server that answered, so that the
 * client side learns which replica each socket landed on.
 */
export async function startBalancerPool(servers: string[], options: { count: number; maxConnections: number; checkIntervalMs: number }): Promise<BalancerPool> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tandem-scale-haproxy-'))
  const processes: Child[] = []
  const adminSockets: string[] = []
  for (let i = 0; i < options.count; i++) {
    const adminSocket = join(dir, `admin-${i}.sock`)
    const config =
      haproxyConfig({ bind: `127.0.0.1:${port}`, backends: { servers }, log: 'none', maxConnections: options.maxConnections, checkIntervalMs: options.checkIntervalMs, adminSocket }) +
      // the backend section comes last: this lands in it
      `  http-response set-header ${SERVED_BY_HEADER} %s\n`
    const file = join(dir, `haproxy-${i}.cfg`)
    writeFileSync(file, config)
    processes.push(startChild(haproxyBinary, ['-db', '-f', file]))
    adminSockets.push(adminSocket)
  }
  const ask = (socket: string, command: string) => adminCommand(socket, command)
  const serverRows = async () => {
    const stats = await Promise.all(adminSockets.map((s) => ask(s, 'show stat')))
    return stats.map((csv) =>
      csv
        .split('\n')
        .map((line) => line.split(','))
        .filter(([proxy, server]) => proxy === 'session-replicas' && server && server !== 'BACKEND'),
    )
  }
  const pool: BalancerPool = {
    url: `http://127.0.0.1:${port}`,
    processes,
    async currentConnections() {
      const infos = await Promise.all(adminSockets.map((s) => ask(s, 'show info')))
      return infos.map((info) => Number(/^CurrConns: (\d+)$/m.exec(info)?.[1] ?? Number.NaN))
    },
    async allUp() {
      // CSV fields: pxname, svname, …, status (17), …, chkfail (21), chkdown (22)
      return (await serverRows()).every((rows) => rows.length === servers.length && rows.every((fields) => fields[17] === 'UP'))
    },
    async checkFailures() {
      const byServer = new Map<string, { failedChecks: number; takenOut: number }>()
      for (const rows of await serverRows()) {
        for (const fields of rows) {
          const seen = byServer.get(fields[1]!) ?? { failedChecks: 0, takenOut: 0 }
          seen.failedChecks += Number(fields[21] ?? 0)
          seen.takenOut += Number(fields[22] ?? 0)
          byServer.set(fields[1]!, seen)
        }
      }
      return byServer
    },
    async stop() {
      await Promise.all(processes.map((p) => p.stop()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await waitFor(() => pool.allUp().catch(() => false), 30_000, 'every HAProxy process to see every replica UP')
  } catch (err) {
    await pool.stop()
    throw new Error(`${String(err)}\n${processes.map((p) => p.output()).join('\n')}`)
  }
  return pool
}
