import { Counter, type Registry } from 'prom-client'
import type { NatsClient } from '../nats-client.ts'

/**
 * Counts the NATS client's disconnects and reconnects in `registry`. Returns the function that
 * stops counting (call it when the app closes: a client passed in by a test outlives the app).
 */
export function countNatsStatus(registry: Registry, nats: NatsClient): () => void {
  const disconnects = new Counter({
    name: 'nats_disconnects_total',
    help: 'times the connection to NATS was lost',
    registers: [registry],
  })
  const reconnects = new Counter({
    name: 'nats_reconnects_total',
    help: 'times the connection to NATS was made again after a loss',
    registers: [registry],
  })
  return nats.onStatus((type) => {
    if (type === 'disconnect') disconnects.inc()
    if (type === 'reconnect') reconnects.inc()
  })
}
