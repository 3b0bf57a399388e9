import t from 'tap'
import { Registry } from 'prom-client'
import { countNatsStatus, NatsClient } from '../../src/index.ts'
import { metricSample, startNatsServer, waitFor } from '../../src/testing/index.ts'

t.test('a NATS outage counts one disconnect and, once the server is back, one reconnect', async (t) => {
  const server = await startNatsServer()
  t.teardown(() => server.destroy())
  const client = new NatsClient({ url: server.url, name: 'metrics-test' })
  t.teardown(() => client.close())
  await client.connected
  const registry = new Registry()
  const stop = countNatsStatus(registry, client)
  const sample = async (name: string) => metricSample(await registry.metrics(), name)
  t.equal(await sample('nats_disconnects_total'), 0)
  t.equal(await sample('nats_reconnects_total'), 0)

  await server.stop()
  await waitFor(async () => (await sample('nats_disconnects_total')) === 1, 10_000, 'the disconnect to be counted')
  await server.start()
  await waitFor(async () => (await sample('nats_reconnects_total')) === 1, 15_000, 'the reconnect to be counted')

  stop()
  await server.stop()
  await waitFor(() => !client.isConnected(), 10_000, 'the client to notice the second outage')
  t.equal(await sample('nats_disconnects_total'), 1, 'nothing is counted once stopped')
  // the client drains on close, which needs the server
  await server.start()
  await waitFor(() => client.isConnected(), 15_000, 'the client to reconnect')
})
