import t from 'tap'
import { StringCodec } from 'nats'
import { NatsClient, ensureStream } from '../src/index.ts'
import { randomNamespace, startNatsServer, waitFor } from '../src/testing/index.ts'

t.test('connects in the background once the server comes up, and survives a restart', async (t) => {
  const server = await startNatsServer()
  t.teardown(() => server.destroy())
  await server.stop()
  const client = new NatsClient({ url: server.url, name: 'test' })
  t.teardown(() => client.close())
  t.equal(client.connection, undefined, 'no connection while the server is down')
  t.equal(client.isConnected(), false)
  await server.start()
  const nc = await client.connected
  t.equal(client.isConnected(), true)

  const sc = StringCodec()
  const sub = nc.subscribe('hello')
  nc.publish('hello', sc.encode('one'))
  for await (const m of sub) {
    t.equal(sc.decode(m.data), 'one')
    break
  }
  await server.stop()
  await waitFor(() => !client.isConnected(), 5000, 'the client to notice the outage')
  await server.start()
  await waitFor(() => client.isConnected(), 10_000, 'the client to reconnect')
  const sub2 = nc.subscribe('again')
  await nc.flush()
  nc.publish('again', sc.encode('two'))
  for await (const m of sub2) {
    t.equal(sc.decode(m.data), 'two', 'works again after the server restarted')
    break
  }
})

t.test('ensureStream creates a stream once and is idempotent', async (t) => {
  const client = new NatsClient({ url: 'nats://127.0.0.1:4222', name: 'test' })
  t.teardown(() => client.close())
  const nc = await client.connected
  const ns = randomNamespace()
  const name = `${ns.toUpperCase()}_TEST`
  const jsm = await ensureStream(nc, name, [`${ns}.x.>`])
  await ensureStream(nc, name, [`${ns}.x.>`])
  const info = await jsm.streams.info(name)
  t.same(info.config.subjects, [`${ns}.x.>`])
  await jsm.streams.delete(name)
})
