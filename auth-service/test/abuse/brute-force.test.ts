import t from 'tap'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'

const PER_ACCOUNT = 5
const PER_IP = 20
// the account's hold starts after PER_ACCOUNT failures in a row and lasts longer than any test
const { app } = await startAuthApp(t, {
  env: {
    RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT),
    LOGIN_BACKOFF_AFTER_FAILURES: String(PER_ACCOUNT),
    LOGIN_BACKOFF_BASE_SECONDS: '600',
    LOGIN_BACKOFF_MAX_SECONDS: '600',
    RATE_LIMIT_PER_IP: String(PER_IP),
    RATE_LIMIT_WINDOW_SECONDS: '600',
  },
})

/** Registered from 192.0.2.1, which is thereby known to the account. */
async function freshAccount(email: string) {
  const user = await register(app, newUser({ email }), '192.0.2.1')
  await app.auth.pool.query('DELETE FROM rate_limit_counters')
  return user
}

const signInsOf = async (userId: string) =>
  (await app.auth.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM refresh_token_families WHERE user_id = $1', [userId])).rows[0]!.n

t.test('guessing one password from many addresses: the account is held after the failures in a row', async (t) => {
  const victim = await freshAccount('victim@example.com')
  const signInsBefore = await signInsOf(victim.user.id)
  const statuses: number[] = []
  for (let i = 0; i < 40; i++) {
    const res = await post(app, '/v1/login', { email: 'Victim@Example.com', password: `guess-${i}-password` }, `198.51.100.${i + 1}`)
    statuses.push(res.statusCode)
    if (res.statusCode === 429) {
      t.equal(res.json().error.code, 'rate_limited')
      t.ok(Number(res.headers['retry-after']) > 0, 'Retry-After is set')
    }
  }
  t.same(statuses.slice(0, PER_ACCOUNT), Array(PER_ACCOUNT).fill(401), 'the first guesses are answered')
  t.same(statuses.slice(PER_ACCOUNT), Array(40 - PER_ACCOUNT).fill(429), 'every later guess is refused unanswered')
  const right = await post(app, '/v1/login', { email: victim.user.email, password: victim.password }, '192.0.2.200')
  t.equal(right.statusCode, 429, 'from an address new to the account, even the right password waits out the hold')
  t.equal(await signInsOf(victim.user.id), signInsBefore, 'no sign-in was started')
  const owner = await post(app, '/v1/login', { email: victim.user.email, password: victim.password }, '192.0.2.1')
  t.equal(owner.statusCode, 200, 'from the address the owner signed in from before, the right password passes during the hold')
  t.comment(`brute force, one account from 40 addresses: 40 guesses, ${statuses.filter((s) => s === 401).length} answered, ${statuses.filter((s) => s === 429).length} rate-limited (429), sign-ins gained by guessers: 0; the owner from a known address signed in during the hold`)
})

t.test('spraying one password over many accounts from one address: locked after the per-address limit', async (t) => {
  await app.auth.pool.query('DELETE FROM rate_limit_counters')
  const statuses: number[] = []
  for (let i = 0; i < 50; i++) {
    statuses.push((await post(app, '/v1/login', { email: `sprayed-${i}@example.com`, password: 'Summer2024!' }, '203.0.113.66')).statusCode)
  }
  t.same(statuses.slice(0, PER_IP), Array(PER_IP).fill(401))
  t.same(statuses.slice(PER_IP), Array(50 - PER_IP).fill(429))
  const registerFromThere = await post(app, '/v1/register', newUser(), '203.0.113.66')
  t.equal(registerFromThere.statusCode, 201, 'register counts separately from login')
  t.comment(`password spraying, 50 accounts from one address: ${statuses.filter((s) => s === 401).length} answered, ${statuses.filter((s) => s === 429).length} rate-limited (429)`)
})

t.test('a parallel burst of 60 guesses cannot slip past the account hold', async (t) => {
  const victim = await freshAccount('burst@example.com')
  const statuses = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      post(app, '/v1/login', { email: victim.user.email, password: `burst-${i}-password` }, `10.9.${Math.floor(i / 200)}.${(i % 200) + 1}`).then((r) => r.statusCode),
    ),
  )
  t.equal(statuses.filter((s) => s === 401).length, PER_ACCOUNT, 'exactly the limit was answered')
  t.equal(statuses.filter((s) => s === 429).length, 60 - PER_ACCOUNT)
  t.comment(`parallel burst of 60 guesses at one account: ${statuses.filter((s) => s === 401).length} answered, ${statuses.filter((s) => s === 429).length} rate-limited`)
})
