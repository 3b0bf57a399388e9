import t from 'tap'
import { natsTopology } from '@tandem/contracts'
import { startNatsServer, waitFor } from '@tandem/service-kit/testing'
import { register, startAuthApp } from '../fixtures/auth-app.ts'
import { connectTo, readStream, streamMessageCount } from '../fixtures/jetstream.ts'

const pending = async (app: Awaited<ReturnType<typeof startAuthApp>>['app']): Promise<number> =>
  (await app.auth.pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n

t.test('with NATS down, registration succeeds and the event is delivered once NATS is back', async (t) => {
  const nats = await startNatsServer()
  t.teardown(() => nats.destroy())
  await nats.stop()

  const { app, config } = await startAuthApp(t, { env: { NATS_URL: nats.url } })
  const { usersStream, userRegistered } = natsTopology(config.natsNamespace)
  const ann = await register(app)
  t.equal(await pending(app), 1, 'the event waits in the outbox')

  await nats.start()
  const nc = await connectTo(nats.url)
  t.teardown(() => nc.close())
  await waitFor(async () => (await pending(app)) === 0, 20_000, 'the relay to publish the event')

  const messages = await readStream(nc, usersStream)
  t.equal(messages.length, 1, 'exactly one message in the stream')
  const event = (await app.auth.pool.query('SELECT id FROM outbox')).rows[0].id as string
  t.match(messages[0], {
    subject: userRegistered,
    msgId: event,
    data: { type: 'user.registered', eventId: event, userId: ann.user.id, email: ann.user.email, displayName: ann.user.displayName },
  })

  t.test('publishing a row again (a crash between publish and commit) is deduplicated by msgID', async (t) => {
    const before = app.auth.relay.publishedCount
    await app.auth.pool.query('UPDATE outbox SET published_at = NULL')
    app.auth.relay.wake()
    await waitFor(async () => (await pending(app)) === 0, 10_000, 'the relay to publish the row again')
    t.equal(app.auth.relay.publishedCount, before + 1, 'the relay did publish it a second time')
    t.equal(await streamMessageCount(nc, usersStream), 1, 'but JetStream kept one message')
  })

  t.test('an outage in the middle: events registered meanwhile arrive after it, once each', async (t) => {
    await nats.stop()
    const during = [await register(app), await register(app)]
    t.equal(await pending(app), 2)
    await nats.start()
    await waitFor(async () => (await pending(app)) === 0, 20_000, 'the relay to catch up')
    const nc2 = await connectTo(nats.url)
    t.teardown(() => nc2.close())
    const users = (await readStream(nc2, usersStream)).map((m) => (m.data as { userId: string }).userId)
    t.same(users, [ann.user.id, ...during.map((u) => u.user.id)])
  })
})

t.test('two replicas relaying one outbox never publish a row twice', async (t) => {
  const a = await startAuthApp(t)
  const b = await startAuthApp(t, { database: a.database, env: { NATS_NAMESPACE: a.config.natsNamespace } })
  const registrations = []
  for (let i = 0; i < 40; i++) registrations.push(register(i % 2 === 0 ? a.app : b.app))
  await Promise.all(registrations)
  await waitFor(async () => (await pending(a.app)) === 0, 20_000, 'both relays to drain the outbox')
  t.equal(a.app.auth.relay.publishedCount + b.app.auth.relay.publishedCount, 40, 'each row was published by exactly one relay')
  const nc = await connectTo(a.config.natsUrl)
  t.teardown(() => nc.close())
  t.equal(await streamMessageCount(nc, natsTopology(a.config.natsNamespace).usersStream), 40)
})
