import t from 'tap'
import WebSocket from 'ws'
import { startNativeSystem, waitFor } from '@tandem/service-kit/testing'

// make up builds web first (a minute or more on a busy machine): longer than the suite's per-file limit
t.setTimeout(300_000)

/** `make up` in native mode, then a person's first minute: register, open a session, connect. */
t.test('make up runs every process natively; the system serves a real user; make down stops it', { timeout: 300_000 }, async (t) => {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  t.match(system.upOutput, /native mode/, 'make up says it runs in native mode')
  t.match(system.upOutput, system.webUrl, 'and prints the address to open')
  t.ok(system.upOutput.includes(`sessions: ${system.sessionUrl} (HAProxy over 2 replicas`), 'and the balancer as the session address')

  const email = `viewer-${Date.now()}@example.com`
  const register = await fetch(`${system.authUrl}/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', displayName: 'First Viewer' }),
  })
  t.equal(register.status, 201, 'registers a user')
  const { accessToken } = (await register.json()) as { accessToken: string }
  const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }

  const profile = await waitFor(async () => {
    const res = await fetch(`${system.profileUrl}/v1/profiles/me`, { headers: auth })
    return res.ok ? ((await res.json()) as { displayName: string }) : undefined
  }, 10_000, 'the profile made from user.registered')
  t.equal(profile.displayName, 'First Viewer', 'the profile was created from the registration event')

  const created = await fetch(`${system.sessionUrls[0]}/v1/sessions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ title: 'Movie night', videoUrl: `${system.webUrl}/media/sample.webm` }),
  })
  t.equal(created.status, 201, 'creates a session on replica 1')
  const session = (await created.json()) as { id: string }

  const wsUrl = `${system.sessionUrls[1].replace('http', 'ws')}/v1/sessions/${session.id}/ws`
  const ws = new WebSocket(wsUrl)
  const frames: Array<Record<string, unknown>> = []
  ws.on('message', (data) => frames.push(JSON.parse(String(data))))
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  ws.send(JSON.stringify({ type: 'hello', token: accessToken }))
  const welcome = await waitFor(() => frames.find((f) => f.type === 'welcome'), 5000, 'welcome')
  t.equal((welcome.state as { title: string }).title, 'Movie night', 'replica 2 welcomes with the state written through replica 1')
  ws.send(JSON.stringify({ type: 'command', id: 'c-1', command: { type: 'chat', text: 'hi all', videoPosition: 0 } }))
  const ack = await waitFor(() => frames.find((f) => f.type === 'ack' || f.type === 'reject'), 5000, 'ack')
  t.equal(ack.type, 'ack', 'a chat command is acknowledged')
  ws.close()

  const throughBalancer = await fetch(`${system.sessionUrl}/v1/sessions/${session.id}`, { headers: auth })
  t.equal(throughBalancer.status, 200, 'the public session address serves the session')

  const page = await fetch(system.webUrl)
  t.equal(page.status, 200, 'the web front end answers')

  const again = await system.up()
  t.match(again, /already running/, 'make up a second time is harmless')
  t.notMatch(again, /starting /, 'and starts nothing twice')

  const downOutput = await system.down()
  t.match(downOutput, /stopped auth-service/, 'make down stops the processes')
  t.match(downOutput, /stopped session-balancer/, 'the balancer among them')
  const stillUp = await fetch(`${system.authUrl}/healthz`).then(() => true, () => false)
  t.equal(stillUp, false, 'nothing answers after make down')
})
