import t from 'tap'
import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import {
  checkStreamAgainstClients,
  chatLoad,
  LoadProgress,
  percentile,
  ReconnectingSessionClient,
  startNativeSystem,
  waitFor,
  type NativeSystem,
} from '@tandem/service-kit/testing'

// make up builds web first (a minute or more on a busy machine): longer than the suite's per-file limit
t.setTimeout(420_000)

const VIEWERS = 40
const COMMANDS_PER_VIEWER = 30

async function register(system: NativeSystem, name: string): Promise<string> {
  const res = await fetch(`${system.authUrl}/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${name}-${Date.now()}@example.com`, password: 'correct horse battery', displayName: name }),
  })
  if (res.status !== 201) throw new Error(`registering ${name}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { accessToken: string }).accessToken
}

/** The client's end of its current connection: its local port, as HAProxy's `show sess` names it. */
const localPort = (c: ReconnectingSessionClient): number => (c.socket!.ws as unknown as { _socket: Socket })._socket.localPort!

/** Which replica HAProxy proxies each client to (undefined: not connected through it). */
async function replicasOf(system: NativeSystem, clients: ReconnectingSessionClient[]): Promise<Array<string | undefined>> {
  const connections = await system.balancerConnections()
  return clients.map((c) => connections.get(localPort(c)))
}

/**
 * `make up` in native mode puts HAProxy on the public session address. Viewers that know only
 * that address post chat into one session while one replica is killed with SIGKILL: nothing
 * acknowledged is lost or doubled, the killed replica's viewers come back through the balancer on
 * the other one, and new viewers still get in.
 */
t.test('40 viewers through the balancer; kill -9 of a replica under load', { timeout: 420_000 }, async (t) => {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  t.ok(system.upOutput.includes(`sessions: ${system.sessionUrl} (HAProxy over 2 replicas`), 'make up names the balancer as the session address')
  t.same(await system.balancerStates(), { 'session-1': 'UP', 'session-2': 'UP' }, 'HAProxy has both replicas up')

  const hostToken = await register(system, 'host')
  const created = await fetch(`${system.sessionUrl}/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hostToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Balanced night', videoUrl: `${system.webUrl}/media/sample.webm`, controlMode: 'everyone', visibility: 'public' }),
  })
  t.equal(created.status, 201, 'a session is created through the balancer')
  const sessionId = ((await created.json()) as { id: string }).id
  const wsUrl = `${system.sessionUrl.replace(/^http/, 'ws')}/v1/sessions/${sessionId}/ws`

  const tokens: string[] = []
  // a few at a time: each registration hashes a password (argon2id)
  for (let i = 0; i < VIEWERS; i += 4) tokens.push(...(await Promise.all([0, 1, 2, 3].map((k) => register(system, `viewer${i + k}`)))))
  // every viewer knows one address only: the balancer's
  const viewer = (name: string, token: string) => new ReconnectingSessionClient({ name, urls: [wsUrl], token: () => token })
  const clients = tokens.map((token, i) => viewer(`v${i}`, token))
  t.teardown(() => Promise.all(clients.map((c) => c.close())))
  await Promise.all(clients.map((c) => c.connect()))
  const joins = await Promise.all(clients.map((c) => c.command({ type: 'join' })))
  t.same(joins.filter((j) => j.revision === undefined), [], 'every viewer joined')

  const before = await replicasOf(system, clients)
  const count = (replicas: Array<string | undefined>, name: string) => replicas.filter((r) => r === name).length
  t.equal(count(before, 'session-1') + count(before, 'session-2'), VIEWERS, 'HAProxy proxies every viewer to a replica')
  t.ok(count(before, 'session-1') > 0 && count(before, 'session-2') > 0, `both replicas have viewers (${count(before, 'session-1')} and ${count(before, 'session-2')})`)

  const progress = new LoadProgress()
  const load = Promise.all(clients.map((c) => chatLoad(c, { commandsPerClient: COMMANDS_PER_VIEWER, pauseMs: [40, 160], inFlight: 2 }, progress)))
  await progress.reached(Math.floor((VIEWERS * COMMANDS_PER_VIEWER) / 2))

  const victim = 'session-2'
  const victimPid = Number(readFileSync(join(system.runDir, 'pids', 'session-service-2.pid'), 'utf8'))
  const onVictim = clients.filter((_, i) => before[i] === victim)
  const onSurvivor = clients.filter((_, i) => before[i] !== victim)
  const unanswered = onVictim.reduce((n, c) => n + c.pendingCount, 0)
  const killedAt = Date.now()
  process.kill(victimPid, 'SIGKILL')
  const { markedDownMs } = await waitFor(
    async () => ((await system.balancerStates())[victim]?.startsWith('DOWN') ? { markedDownMs: Date.now() - killedAt } : undefined),
    30_000,
    'HAProxy to mark the killed replica DOWN',
  )
  t.pass(`HAProxy marked ${victim} DOWN`)

  const outcomes = (await load).flat()
  t.same(outcomes.filter((o) => o.revision === undefined), [], 'every command was acknowledged in the end')
  const audit = await checkStreamAgainstClients(t, {
    databaseUrl: system.sessionDatabaseUrl,
    sessionId,
    clients,
    commandIds: new Set(outcomes.map((o) => o.id)),
    catchUpMs: 60_000,
  })
  t.equal(audit.acknowledged, VIEWERS * COMMANDS_PER_VIEWER, 'every chat command was acknowledged')

  t.same(onVictim.filter((c) => c.closes.length === 0).map((c) => c.name), [], 'every viewer of the killed replica was cut off')
  t.same(onSurvivor.filter((c) => c.closes.length > 0).map((c) => c.name), [], 'no viewer of the other replica was')
  const after = await replicasOf(system, clients)
  t.same(
    clients.filter((_, i) => after[i] !== 'session-1').map((c) => c.name),
    [],
    'every viewer is back, through the balancer, on the live replica',
  )

  // new viewers, knowing only the balancer's address, get in and are heard
  const newcomers = tokens.slice(0, 5).map((token, i) => viewer(`late${i}`, token))
  t.teardown(() => Promise.all(newcomers.map((c) => c.close())))
  await Promise.all(newcomers.map((c) => c.connect()))
  const said = await Promise.all(newcomers.map((c, i) => c.command({ type: 'chat', text: `late ${i}`, videoPosition: 0 }, `late-${i}`)))
  t.same(said.filter((o) => o.revision === undefined), [], 'new viewers connect through the balancer and their commands are acknowledged')
  t.same(await replicasOf(system, newcomers), newcomers.map(() => 'session-1'), 'on the live replica')
  await Promise.all(clients.map((c) => c.waitForRevision(Math.max(...said.map((o) => o.revision!)), 30_000)))
  t.pass('the viewers already there see what the new ones said')

  const reconnects = onVictim.flatMap((c) => c.reconnectTimes)
  t.comment(
    `balancer failover: viewers ${count(before, 'session-1')} + ${count(before, 'session-2')}, killed ${victim} with ${unanswered} commands unanswered; ` +
      `HAProxy marked it DOWN ${markedDownMs} ms after kill -9; its viewers back in p50 ${percentile(reconnects, 50)} ms, max ${Math.max(0, ...reconnects)} ms; ` +
      `commands acknowledged ${audit.acknowledged}, retryable rejections ${clients.reduce((n, c) => n + c.rejections.length, 0)}, stream revisions ${audit.revisions}`,
  )
})
