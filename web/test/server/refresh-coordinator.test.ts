import t from 'tap'
import type { Tokens } from '../../src/lib/api/auth.ts'
import { RefreshCoordinator } from '../../src/lib/server/refresh-coordinator.ts'

const tokens = (n: number): Tokens => ({ accessToken: `at${n}`, refreshToken: `rt${n}`, expiresIn: 900 })

t.test('concurrent refreshes of one token make one call', async (t) => {
  let calls = 0
  let release: (value: Tokens) => void = () => {}
  const coordinator = new RefreshCoordinator(() => {
    calls++
    return new Promise((resolve) => (release = resolve))
  })
  const all = Promise.all([coordinator.refresh('rt0'), coordinator.refresh('rt0'), coordinator.refresh('rt0')])
  release(tokens(1))
  t.same(await all, [tokens(1), tokens(1), tokens(1)])
  t.equal(calls, 1)
})

t.test('a request that still carries the old cookie shortly after gets the same new tokens', async (t) => {
  let now = 0
  let calls = 0
  const coordinator = new RefreshCoordinator(async () => tokens(++calls), { now: () => now, rememberMs: 30_000 })
  t.same(await coordinator.refresh('rt0'), tokens(1))
  now = 29_000
  t.same(await coordinator.refresh('rt0'), tokens(1))
  now = 31_000
  t.same(await coordinator.refresh('rt0'), tokens(2), 'remembered only briefly')
  t.equal(calls, 2)
})

t.test('a refused refresh is not remembered', async (t) => {
  let calls = 0
  const coordinator = new RefreshCoordinator(async () => {
    calls++
    throw new Error('refused')
  })
  await t.rejects(coordinator.refresh('rt0'))
  await t.rejects(coordinator.refresh('rt0'))
  t.equal(calls, 2)
})
