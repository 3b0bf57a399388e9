import type { TestIssuer } from '@tandem/service-kit/testing'
import { startSessionReplica, type Replica } from '../lib/session-replica.ts'
import { status } from '../lib/output.ts'

export interface FleetOptions {
  count: number
  /** Names each replica's NATS connection (`session-service <id>`); replica i gets `<prefix>-<i+1>`. */
  idPrefix: string
  eventStoreUrl: string
  natsUrl: string
  natsNamespace: string
  issuer: TestIssuer
  /** Extra environment for every replica. */
  env?: Record<string, string>
}

export interface FleetMember {
  replica: Replica
  replicaId: string
  /** `host:port`, for the balancer. */
  address: string
}

/**
 * session-service replicas as real processes (as `make up` runs them). Each viewer is a
 * different user, so the per-user socket caps never bind; each replica's store pool
 * stays at its default (20: four replicas stay inside PostgreSQL's 100 connections).
 */
export async function startFleet(options: FleetOptions): Promise<FleetMember[]> {
  const members: FleetMember[] = []
  try {
    for (let i = 0; i < options.count; i++) {
      const replicaId = `${options.idPrefix}-${i + 1}`
      status(`starting session-service replica ${replicaId}`)
      const replica = await startSessionReplica({
        eventStoreUrl: options.eventStoreUrl,
        natsNamespace: options.natsNamespace,
        jwksUrl: options.issuer.jwksUrl,
        issuer: options.issuer.issuer,
        env: { REPLICA_ID: replicaId, NATS_URL: options.natsUrl, RATE_LIMIT_CREATES: '1000', ...options.env },
      })
      members.push({ replica, replicaId, address: new URL(replica.httpUrl).host })
    }
  } catch (err) {
    await Promise.all(members.map((m) => m.replica.stop()))
    throw err
  }
  return members
}
