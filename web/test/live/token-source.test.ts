import t from 'tap'
import { SignedOutError, pageTokenSource } from '../../src/lib/live/token-source.ts'

const reply = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status })

t.test('the page token while it has time left, then a fresh one', async (t) => {
  let now = 0
  let fetches = 0
  const source = pageTokenSource(
    { token: 'page', expiresAt: 120_000 },
    async () => {
      fetches++
      return new Response(JSON.stringify({ token: `fresh-${fetches}`, expiresAt: now + 900_000 }))
    },
    () => now,
  )
  t.equal(await source(false), 'page')
  now = 95_000
  t.equal(await source(false), 'fresh-1', 'less than 30 s left: replaced before use')
  t.equal(await source(false), 'fresh-1')
  t.equal(await source(true), 'fresh-2', 'a refused token is always replaced')
})

t.test('401 means signed out; other failures are errors to retry', async (t) => {
  await t.rejects(pageTokenSource({ token: 'x', expiresAt: 0 }, reply(401, { error: { code: 'unauthenticated' } }))(false), SignedOutError)
  await t.rejects(pageTokenSource({ token: 'x', expiresAt: 0 }, reply(503, {}))(true), { message: /503/ })
  await t.rejects(pageTokenSource({ token: 'x', expiresAt: 0 }, reply(200, {}))(true), { message: /without a token/ })
})
