import t from 'tap'
import { randomUUID } from 'node:crypto'
import { JSONCodec } from 'nats'
import type { ProfileUpdated } from '@tandem/contracts'
import { startNatsServer, waitFor } from '@tandem/service-kit/testing'
import { bearer, createWorld, publishUserRegistered, userRegistered } from '../fixtures/profile-app.ts'

// A private nats-server, so it can be stopped without disturbing other test runs.
const server = await startNatsServer()
t.teardown(() => server.destroy())
const world = await createWorld({ natsUrl: server.url })
t.teardown(() => world.close())

const profileOf = async (app: Awaited<ReturnType<typeof world.startApp>>, userId: string) => {
  const res = await app.inject({ url: `/v1/profiles/${userId}`, headers: bearer(world, randomUUID()) })
  return res.statusCode === 200 ? res.json() : null
}

t.test('started while NATS is down: serves profiles, consumes once NATS is back, survives a NATS restart', async (t) => {
  await server.stop()
  const app = await world.startApp({ PUBLISH_RETRY_INTERVAL_MS: '200' })
  t.teardown(() => app.close())

  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 200, 'ready: the store answers, NATS is not needed to serve')
  const userId = randomUUID()
  const me = await app.inject({ url: '/v1/profiles/me', headers: bearer(world, userId, 'Offline Signup') })
  t.equal(me.statusCode, 200)

  const edit = await app.inject({
    method: 'PATCH',
    url: '/v1/profiles/me',
    headers: bearer(world, userId),
    payload: { displayName: 'Edited Offline' },
  })
  t.equal(edit.statusCode, 200, 'an edit succeeds while NATS is down')

  await new Promise((r) => setTimeout(r, 1500))
  await server.start()

  const event = userRegistered({ displayName: 'Registered Later' })
  await waitFor(() => world.nc.flush().then(() => true, () => false), 10_000, 'the test connection to reconnect')
  await publishUserRegistered(world.nc, world.topology, event)
  await waitFor(() => profileOf(app, event.userId), 15_000, 'the profile after NATS came up')

  const jsm = await world.nc.jetstreamManager()
  const published = await waitFor(
    () => jsm.streams.getMessage(world.topology.profilesStream, { last_by_subj: world.topology.profileUpdated }).catch(() => null),
    10_000,
    'the profile.updated of the offline edit',
  )
  t.match(JSONCodec<ProfileUpdated>().decode(published.data), { userId, displayName: 'Edited Offline' }, 'delayed, not lost')

  await server.stop()
  await server.start()
  const afterRestart = userRegistered({ displayName: 'After Restart' })
  await waitFor(() => world.nc.flush().then(() => true, () => false), 10_000, 'the test connection to reconnect')
  await publishUserRegistered(world.nc, world.topology, afterRestart)
  await waitFor(() => profileOf(app, afterRestart.userId), 15_000, 'the profile after the NATS restart')
})
