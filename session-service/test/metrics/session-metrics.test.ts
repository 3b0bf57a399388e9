import t from 'tap'
import { randomUUID } from 'node:crypto'
import { metricSample, SessionSocket, waitFor } from '@tandem/service-kit/testing'
import { createSession, createWorld, startSessionApp } from '../fixtures/session-app.ts'

const world = await createWorld(t)
const HOST = randomUUID()
const STRANGER = randomUUID()
const token = (user: string) => world.issuer.sign(user)

t.test('the metrics move as a socket connects, sends commands and leaves', async (t) => {
  const server = await startSessionApp(t, world)
  const scrape = async () => {
    const res = await server.app.inject({ method: 'GET', url: '/metrics' })
    t.equal(res.statusCode, 200)
    return (name: string, labels: Record<string, string> = {}) => metricSample(res.body, name, { service: 'session-service', ...labels }) ?? 0
  }
  const { id } = await createSession(server.baseUrl, token(HOST))
  let sample = await scrape()
  t.equal(sample('http_requests_total', { route: '/v1/sessions', method: 'POST', status_code: '201' }), 1, 'the REST request, by route')
  t.equal(sample('tandem_sockets_open'), 0)
  t.equal(sample('tandem_sessions_with_local_sockets'), 0)
  const appendsBefore = sample('tandem_event_append_duration_seconds_count')
  t.ok(appendsBefore >= 1, 'starting the session appended its first event')

  const { socket: host } = await SessionSocket.join(server.wsUrl(id), token(HOST))
  const { socket: stranger } = await SessionSocket.join(server.wsUrl(id), token(STRANGER))
  sample = await scrape()
  t.equal(sample('tandem_sockets_open'), 2, 'two sockets open')
  t.equal(sample('tandem_sessions_with_local_sockets'), 1, 'both in one session')

  t.match(await host.command({ type: 'chat', text: 'hello', videoPosition: 0 }), { type: 'ack' })
  t.match(await stranger.command({ type: 'chat', text: 'me too', videoPosition: 0 }), { type: 'reject', code: 'not_member' })
  sample = await scrape()
  t.equal(sample('tandem_commands_total', { outcome: 'acked' }), 1, 'the ack is counted')
  t.equal(sample('tandem_commands_total', { outcome: 'not_member' }), 1, 'the reject, by its code')
  t.equal(sample('tandem_event_append_duration_seconds_count'), appendsBefore + 1, 'one more append, timed')
  t.equal(sample('tandem_command_fanout_duration_seconds_count'), 1, 'the acked command’s fan-out is timed; the rejected one had none')
  t.equal(sample('nats_reconnects_total'), 0, 'NATS reconnects are counted')
  t.equal(sample('tandem_sessions_subscribed'), 1, "the session's NATS subjects are subscribed")
  await waitFor(() => server.app.sessionHub.natsStats().messagesReceived.events > 0, 10_000, 'the chat event back from NATS')
  const stats = server.app.sessionHub.natsStats()
  sample = await scrape()
  for (const kind of ['events', 'ephemeral', 'presence'] as const) {
    t.equal(sample('tandem_nats_messages_received_total', { kind }), stats.messagesReceived[kind], `NATS messages received: ${kind}`)
  }

  await host.close()
  await waitFor(async () => (await scrape())('tandem_sockets_open') === 1, 10_000, 'the server to see the host’s socket close')
  t.equal((await scrape())('tandem_sessions_with_local_sockets'), 1, 'the session still has a socket here')
  await stranger.close()
  await waitFor(async () => (await scrape())('tandem_sockets_open') === 0, 10_000, 'the server to see the last socket close')
  t.equal((await scrape())('tandem_sessions_with_local_sockets'), 0, 'no session has a socket here')
})
