import { cpus, loadavg, release, totalmem } from 'node:os'
import pg from 'pg'
import { adminDatabaseUrl } from '@tandem/service-kit/testing'

export interface Machine {
  cpuModel: string
  cores: number
  memoryGiB: number
  node: string
  kernel: string
  postgres: string
  date: string
}

export async function describeMachine(): Promise<Machine> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl })
  let postgres = 'unknown'
  try {
    await client.connect()
    postgres = ((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown').split(' ')[0]!
  } catch {
    // not fatal: the benchmarks will say what is wrong
  } finally {
    await client.end().catch(() => undefined)
  }
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
    postgres,
    date: new Date().toISOString(),
  }
}

/** The 1-minute load average: on a shared machine, how busy it was around a benchmark. */
export const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100
