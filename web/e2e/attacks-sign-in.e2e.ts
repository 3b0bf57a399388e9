import { request } from 'node:http'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { startNativeSystem } from '@tandem/service-kit/testing'
import { startWebOnReplica } from './web-server.ts'
import { readSetCookie } from './web-visitor.ts'

/**
 * Attacks on signing in, the way a browser reaches Tandem: form posts to the built web server in
 * front of the real services, from several loopback addresses (127.0.0.2, .3, … are all this
 * machine, and each is a client of its own to the web server).
 */
t.setTimeout(240_000)

const HOLD_SECONDS = 5
const system = await startNativeSystem({
  env: {
    RATE_LIMIT_WINDOW_SECONDS: '600',
    RATE_LIMIT_PER_IP: '4',
    RATE_LIMIT_PER_ACCOUNT: '3',
    LOGIN_BACKOFF_AFTER_FAILURES: '3',
    LOGIN_BACKOFF_BASE_SECONDS: String(HOLD_SECONDS),
    LOGIN_BACKOFF_MAX_SECONDS: String(HOLD_SECONDS),
  },
})
t.teardown(() => system.destroy())

interface Answer {
  status: number
  location: string | undefined
  cookies: Record<string, string>
  body: string
}

/** One HTTP request from `from`, as a browser without JavaScript sends it. */
function send(url: string, opts: { from: string; method?: string; form?: Record<string, string>; cookies?: Record<string, string>; headers?: Record<string, string> }): Promise<Answer> {
  const target = new URL(url)
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined
  const headers: Record<string, string> = { accept: 'text/html', ...opts.headers }
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', origin: target.origin })
  if (opts.cookies) headers.cookie = Object.entries(opts.cookies).map(([k, v]) => `${k}=${v}`).join('; ')
  return new Promise((resolve, reject) => {
    const req = request(target, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, localAddress: opts.from }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => {
        const cookies: Record<string, string> = {}
        for (const line of res.headers['set-cookie'] ?? []) {
          const { name, value } = readSetCookie(line)
          cookies[name] = value
        }
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies, body: text })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const web = system.webUrl
const login = (from: string, email: string, password: string) => send(`${web}/login`, { from, form: { email, password } })
const signedIn = (answer: Answer) => answer.status === 303 && answer.location === '/lobby'
const RATE_LIMITED = /Too many attempts; try again in (\d+) s\./

async function registerFrom(from: string, name: string): Promise<{ email: string; password: string }> {
  const account = { email: `${name}-${Date.now()}@example.com`, password: `${name} correct horse` }
  const answer = await send(`${web}/register`, { from, form: { ...account, displayName: name } })
  if (!signedIn(answer)) throw new Error(`registering ${name} failed: ${answer.status} ${answer.body.slice(0, 300)}`)
  return account
}

const ann = await registerFrom('127.0.0.3', 'ann')

t.test('a flood from one address limits that address, not every visitor of the web server', async (t) => {
  const answers = []
  for (let i = 0; i < 5; i++) answers.push(await login('127.0.0.2', `nobody-${i}@example.com`, 'guessing-1234'))
  t.same(answers.slice(0, 4).map((a) => /Wrong e-mail address or password\./.test(a.body)), [true, true, true, true], 'the first 4 are answered')
  t.match(answers[4]!.body, RATE_LIMITED, 'the fifth from 127.0.0.2 is told to wait')
  t.ok(signedIn(await login('127.0.0.3', ann.email, ann.password)), '127.0.0.3 still signs in')

  const spoofed = await new Promise<number>((resolve, reject) => {
    const req = request(`${system.authUrl}/v1/login`, { method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(JSON.stringify({ email: 'nobody@example.com', password: 'guessing-1234' }))
  })
  t.equal(spoofed, 429, 'straight to auth-service with a made-up X-Forwarded-For, 127.0.0.2 is still counted as itself')
})

t.test('flooding an account with wrong passwords cannot keep its owner out', async (t) => {
  const bob = await registerFrom('127.0.0.3', 'bob')
  for (let i = 0; i < 3; i++) t.notOk(signedIn(await login('127.0.0.5', bob.email, `guess-${i}-password`)), `guess ${i + 1} fails`)

  // the owner on a device new to the account waits out the short hold while the attacker keeps failing
  let attacking = true
  let attackerSignIns = 0
  let attackerRefusals = 0
  const attacker = (async () => {
    for (let i = 0; attacking; i++) {
      const answer = await login('127.0.0.5', bob.email, `more-guess-${i}`)
      if (signedIn(answer)) attackerSignIns++
      else if (RATE_LIMITED.test(answer.body)) attackerRefusals++
    }
  })()
  let waits = 0
  let owner = await login('127.0.0.4', bob.email, bob.password)
  while (!signedIn(owner)) {
    const wait = RATE_LIMITED.exec(owner.body)
    // only the short hold is worth waiting for; a long window would be the old lockout
    if (!wait || Number(wait[1]) > HOLD_SECONDS || waits > 5) break
    waits++
    await new Promise((resolve) => setTimeout(resolve, Number(wait[1]) * 1000))
    owner = await login('127.0.0.4', bob.email, bob.password)
  }
  attacking = false
  await attacker
  t.ok(waits >= 1, 'the owner from a new address was told to wait first')
  t.ok(signedIn(owner), `then the right password passed (after ${waits} wait)`)
  t.equal(attackerSignIns, 0)
  t.ok(attackerRefusals > 0, 'the attacker was refused meanwhile')

  // a fresh flood holds the account again; the address the owner signed in from is not held
  for (let i = 0; i < 3; i++) await login('127.0.0.6', bob.email, `again-${i}-password`)
  t.match((await login('127.0.0.7', bob.email, bob.password)).body, RATE_LIMITED, 'a new address is held')
  t.ok(signedIn(await login('127.0.0.3', bob.email, bob.password)), 'the known address signs in during the hold')
  t.comment(`account flood through the web form: owner on a new address waited ${waits}× ${HOLD_SECONDS} s, attacker refused ${attackerRefusals}×, attacker sign-ins 0`)
})

t.test('two web servers refreshing one cookie at once keep the sign-in', async (t) => {
  const second = await startWebOnReplica(system, 2)
  t.teardown(() => second.stop())
  const first = await login('127.0.0.8', ann.email, ann.password)
  t.ok(signedIn(first))
  const refresh = { tandem_refresh: first.cookies.tandem_refresh! }
  // no access cookie: both servers refresh the same token at once
  const [a, b] = await Promise.all([
    send(`${web}/login`, { from: '127.0.0.8', cookies: refresh }),
    send(`${second.url}/login`, { from: '127.0.0.8', cookies: refresh }),
  ])
  t.ok(signedIn(a) && signedIn(b), 'both answer signed in')
  t.ok(a.cookies.tandem_refresh, 'a new refresh cookie')
  t.equal(a.cookies.tandem_refresh, b.cookies.tandem_refresh, 'the same one from both')
  const later = await send(`${second.url}/login`, { from: '127.0.0.8', cookies: { tandem_refresh: b.cookies.tandem_refresh! } })
  t.ok(signedIn(later), 'the sign-in still refreshes afterwards')
})

t.test('a sign-in ends at its maximum age, however often it was refreshed', async (t) => {
  const start = await login('127.0.0.9', ann.email, ann.password)
  const refreshed = await send(`${web}/login`, { from: '127.0.0.9', cookies: { tandem_refresh: start.cookies.tandem_refresh! } })
  t.ok(signedIn(refreshed), 'refreshing works while it is young')
  // every sign-in's end moved into the past, as if SIGN_IN_MAX_AGE_DAYS had passed (psql: native mode needs it anyway)
  const sql = `UPDATE refresh_token_families SET ends_at = now() - interval '1 second' WHERE revoked_at IS NULL`
  await promisify(execFile)('psql', [system.authDatabaseUrl, '-qc', sql])
  const ended = await send(`${web}/login`, { from: '127.0.0.9', cookies: { tandem_refresh: refreshed.cookies.tandem_refresh! } })
  t.equal(ended.status, 200, 'signed out: the login page')
  t.equal(ended.cookies.tandem_refresh, '', 'the refresh cookie is cleared')
})
