import t from 'tap'
import { newUser, post, register, startAuthApp } from '../fixtures/auth-app.ts'

// With the default (strong) argon2 parameters, a wrong password costs one hash verification.
// Without the dummy verification an unknown user would answer about 20× faster, which lets
// anyone find out which e-mail addresses have accounts.
t.test('an unknown user takes about as long as a wrong password', async (t) => {
  const { app } = await startAuthApp(t, { env: { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2' } })
  const user = await register(app, newUser())
  const timings = { wrong: [] as number[], unknown: [] as number[] }
  const attempt = async (kind: 'wrong' | 'unknown', i: number) => {
    const email = kind === 'wrong' ? user.user.email : `nobody${i}@example.com`
    const started = process.hrtime.bigint()
    const res = await post(app, '/v1/login', { email, password: 'not the password at all' })
    timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6)
    t.equal(res.statusCode, 401)
  }
  await attempt('wrong', -1) // warm-up
  timings.wrong.length = 0
  for (let i = 0; i < 7; i++) {
    await attempt('wrong', i)
    await attempt('unknown', i)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const ratio = median(timings.unknown) / median(timings.wrong)
  t.comment(`median ms: wrong password ${median(timings.wrong).toFixed(1)}, unknown user ${median(timings.unknown).toFixed(1)}`)
  t.ok(ratio > 0.5 && ratio < 2, `unknown/wrong time ratio ${ratio.toFixed(2)} is within [0.5, 2]`)
})
