/**
 * One replica start, in its own process (a fresh heap, as a real start): builds session-service
 * against LOBBY_START_DB, asks its lobby every few milliseconds for the session titled
 * LOBBY_START_MARKER (the store's last event) and prints, as one JSON line, how long it took from
 * `buildApp` until the lobby listed it. Closing the app then saves the lobby's checkpoint, as a
 * replica stopping does.
 */
import type { AccessTokenClaims } from '@tandem/contracts'
import { buildApp } from '../../../session-service/src/app.ts'
import { loadSessionConfig } from '../../../session-service/src/config.ts'

const POLL_MS = 5
const TIMEOUT_MS = 600_000

const marker = process.env.LOBBY_START_MARKER!
const config = loadSessionConfig({
  LOG_LEVEL: 'warn',
  EVENT_STORE_URL: process.env.LOBBY_START_DB,
  NATS_NAMESPACE: process.env.LOBBY_START_NAMESPACE,
  RATE_LIMIT_READS: '100000',
})
// Any token names the same user: the lobby is what is measured, not authentication.
const claims: AccessTokenClaims = { sub: 'lobby-start', name: 'lobby start', iss: config.issuer, aud: 'tandem', iat: 0, exp: 4_000_000_000, jti: 'lobby-start' }

const t0 = performance.now()
const app = await buildApp(config, { verifier: { verify: async () => claims } })
await app.ready()
const builtMs = performance.now() - t0
let polls = 0
for (;;) {
  polls++
  const response = await app.inject({ url: `/v1/sessions?q=${encodeURIComponent(marker)}`, headers: { authorization: 'Bearer any' } })
  if (response.statusCode !== 200) throw new Error(`lobby answered ${response.statusCode}: ${response.body}`)
  if ((response.json() as { sessions: unknown[] }).sessions.length > 0) break
  if (performance.now() - t0 > TIMEOUT_MS) throw new Error('the lobby did not catch up')
  await new Promise((r) => setTimeout(r, POLL_MS))
}
const caughtUpMs = performance.now() - t0
const heapUsedMB = process.memoryUsage().heapUsed / 2 ** 20
const c0 = performance.now()
await app.close()
const closeMs = performance.now() - c0
process.stdout.write(`${JSON.stringify({ builtMs, caughtUpMs, heapUsedMB, polls, closeMs })}\n`)
