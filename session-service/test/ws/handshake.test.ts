import t from 'tap'
import type { AccessTokenClaims } from '@tandem/contracts'
import { waitFor } from '@tandem/service-kit/testing'
import { Handshake, type HandshakeOptions } from '../../src/ws/handshake.ts'

const claims = (exp: number) => ({ sub: 'user-1', exp }) as AccessTokenClaims

function handshake(verify: (token: string) => Promise<AccessTokenClaims>, options: Partial<HandshakeOptions> = {}) {
  const happened: string[] = []
  const h = new Handshake({
    verifier: { verify },
    helloTimeoutMs: 20,
    now: () => 1_000_000,
    onHelloTimeout: () => happened.push('hello timeout'),
    onTokenExpired: () => happened.push('token expired'),
    ...options,
  })
  t.teardown(() => h.stop())
  return { h, happened }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

t.test('no hello in time', async (t) => {
  const { happened } = handshake(async () => claims(2000))
  await wait(40)
  t.same(happened, ['hello timeout'])
})

t.test('a valid token: the hello timer stops, and the expiry is announced when it comes', async (t) => {
  const now = 1_000_000_000
  // Thirty days ahead is past setTimeout's longest delay, which would otherwise fire at once.
  for (const ahead of [60_000, 30 * 24 * 3600_000]) {
    const { h, happened } = handshake(async () => claims((now + ahead) / 1000), { now: () => now })
    t.match(await h.verify('good'), { ok: true, user: { sub: 'user-1' } })
    await wait(50)
    t.same(happened, [], `${ahead} ms ahead: neither the hello timeout nor the expiry yet`)
  }
  const expiring = handshake(async () => claims(now / 1000), { now: () => now })
  await expiring.h.verify('expires now')
  await waitFor(() => expiring.happened.length > 0, 2000, 'the token expiry')
  t.same(expiring.happened, ['token expired'], 'a token that expired during verification is announced at once')
})

t.test('an invalid or expired token is refused with its reason', async (t) => {
  const bad = handshake(async () => Promise.reject(Object.assign(new Error('no'), { code: 'invalid_token' })))
  t.same(await bad.h.verify('x'), { ok: false, message: 'access token is not valid' })
  const expired = handshake(async () => Promise.reject(Object.assign(new Error('no'), { code: 'token_expired' })))
  t.same(await expired.h.verify('x'), { ok: false, message: 'access token has expired' })
  await wait(40)
  t.same([...bad.happened, ...expired.happened], [], 'the hello timer stopped either way')
})

t.test('frames sent while joining are kept, up to a limit', async (t) => {
  const { h } = handshake(async () => claims(2000))
  h.keepEarly('a')
  h.keepEarly('b')
  t.same(h.takeEarly(), { frames: ['a', 'b'], dropped: false })
  for (let i = 0; i < 70; i++) h.keepEarly(String(i))
  const { frames, dropped } = h.takeEarly()
  t.equal(frames.length, 64)
  t.equal(dropped, true)
})
