import t from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { waitFor } from '@tandem/service-kit/testing'
import {
  bearer,
  consumerAckedThrough,
  consumerDeliveredThrough,
  consumerIsPulling,
  createWorld,
  publishUserRegistered,
  userRegistered,
} from '../fixtures/profile-app.ts'
import { parseUserRegistered } from '../../src/consumers/user-registered.ts'

async function profileOf(app: { inject: Function }, world: Awaited<ReturnType<typeof createWorld>>, userId: string) {
  const res = await app.inject({ url: `/v1/profiles/${userId}`, headers: bearer(world, randomUUID()) })
  return res.statusCode === 200 ? res.json() : null
}

t.test('a published user.registered results in a profile within a second', async (t) => {
  const world = await createWorld()
  t.teardown(() => world.close())
  const app = await world.startApp()
  await waitFor(() => consumerIsPulling(world.nc, world.topology), 10_000, 'the consumer to attach')

  const event = userRegistered({ displayName: 'Fresh User' })
  const started = performance.now()
  await publishUserRegistered(world.nc, world.topology, event)
  const profile = await waitFor(() => profileOf(app, world, event.userId), 5000, 'the profile')
  const elapsedMs = performance.now() - started
  t.ok(elapsedMs < 1000, `profile created ${elapsedMs.toFixed(0)} ms after the event was published`)
  t.match(profile, { userId: event.userId, displayName: 'Fresh User', bio: '', version: 1 })
})

t.test('the same event twice yields one profile; a redelivery does not undo a later edit', async (t) => {
  const world = await createWorld()
  t.teardown(() => world.close())
  const app = await world.startApp()
  const event = userRegistered({ displayName: 'Original Name' })

  await publishUserRegistered(world.nc, world.topology, event)
  await waitFor(() => profileOf(app, world, event.userId), 5000, 'the profile')
  const edit = await app.inject({
    method: 'PATCH',
    url: '/v1/profiles/me',
    headers: bearer(world, event.userId),
    payload: { displayName: 'Edited Name' },
  })
  t.equal(edit.statusCode, 200)

  const again = await publishUserRegistered(world.nc, world.topology, event)
  t.equal(again.duplicate, true, 'a relay retry (same msgID) is dropped by JetStream itself')
  // A second delivery the stream cannot deduplicate (e.g. after its duplicate window).
  const redelivered = await publishUserRegistered(world.nc, world.topology, { ...event, displayName: 'Original Name' }, randomUUID())
  await waitFor(() => consumerAckedThrough(world.nc, world.topology, redelivered.seq), 5000, 'the redelivery to be handled')

  t.match(await profileOf(app, world, event.userId), { displayName: 'Edited Name', version: 2 }, 'the edit stands')
  const batch = await app.inject({ url: `/v1/profiles?ids=${event.userId}`, headers: bearer(world, event.userId) })
  t.equal(batch.json().profiles.length, 1, 'one profile')
})

t.test('users who registered while profile-service was down get their profiles when it comes back', async (t) => {
  const world = await createWorld()
  t.teardown(() => world.close())

  // Never started yet: events wait in the stream (as auth-service would create it).
  const early = userRegistered({ displayName: 'Before First Start' })
  await publishUserRegistered(world.nc, world.topology, early)

  const first = await world.startApp()
  await waitFor(() => profileOf(first, world, early.userId), 5000, 'the backlog from before the first start')
  await first.close()

  // Down: nobody consumes.
  const whileDown = Array.from({ length: 5 }, (_, i) => userRegistered({ displayName: `While Down ${i}` }))
  let lastSeq = 0
  for (const e of whileDown) lastSeq = (await publishUserRegistered(world.nc, world.topology, e)).seq
  t.equal(await consumerAckedThrough(world.nc, world.topology, lastSeq), false, 'nothing handled while down')

  const second = await world.startApp()
  await waitFor(() => consumerAckedThrough(world.nc, world.topology, lastSeq), 10_000, 'the consumer to catch up')
  for (const e of whileDown) {
    t.match(await profileOf(second, world, e.userId), { displayName: e.displayName, version: 1 }, e.displayName)
  }
  const jsm = await world.nc.jetstreamManager()
  const info = await jsm.consumers.info(world.topology.usersStream, 'profile-service')
  t.equal(info.delivered.stream_seq, lastSeq, 'resumed after the last acked event, not from the start')
})

t.test('a malformed message is dropped and does not block the ones after it', async (t) => {
  const world = await createWorld()
  t.teardown(() => world.close())
  const app = await world.startApp()
  await publishUserRegistered(world.nc, world.topology, userRegistered())
  await world.nc.jetstream().publish(world.topology.userRegistered, new TextEncoder().encode('{"type":"user.registered"'))
  await world.nc.jetstream().publish(world.topology.userRegistered, new TextEncoder().encode(JSON.stringify({ type: 'user.registered' })))
  const good = userRegistered({ displayName: 'After The Junk' })
  const { seq } = await publishUserRegistered(world.nc, world.topology, good)
  await waitFor(() => profileOf(app, world, good.userId), 5000, 'the event after the junk')
  await waitFor(() => consumerAckedThrough(world.nc, world.topology, seq), 5000, 'everything settled')
})

t.test('when the store refuses the write, the event is redelivered until it succeeds', async (t) => {
  const world = await createWorld()
  t.teardown(() => world.close())
  const app = await world.startApp()
  const admin = new pg.Client({ connectionString: world.db.url })
  await admin.connect()
  t.teardown(() => admin.end())
  await admin.query('ALTER TABLE profiles RENAME TO profiles_away')

  const event = userRegistered({ displayName: 'Patient User' })
  const { seq } = await publishUserRegistered(world.nc, world.topology, event)
  // the app may still be creating its consumer: until then there is nothing to ask about
  await waitFor(() => consumerDeliveredThrough(world.nc, world.topology, seq), 5000, 'the first delivery')
  t.equal(await consumerAckedThrough(world.nc, world.topology, seq), false, 'not acked while the write fails')

  await admin.query('ALTER TABLE profiles_away RENAME TO profiles')
  await waitFor(() => profileOf(app, world, event.userId), 10_000, 'the redelivered event to be stored')
  await waitFor(() => consumerAckedThrough(world.nc, world.topology, seq), 5000, 'the ack')
})

t.test('parseUserRegistered accepts only user.registered payloads', async (t) => {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
  const event = userRegistered()
  t.same(parseUserRegistered(enc(event)), event)
  t.equal(parseUserRegistered(new TextEncoder().encode('nope')), null)
  t.equal(parseUserRegistered(enc({ ...event, type: 'user.deleted' })), null)
  t.equal(parseUserRegistered(enc({ ...event, userId: '' })), null)
  t.equal(parseUserRegistered(enc({ ...event, displayName: 3 })), null)
  t.equal(parseUserRegistered(enc(null)), null)
})
