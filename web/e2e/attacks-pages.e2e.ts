import t from 'tap'
import type { Browser } from 'playwright-core'
import { startNativeSystem, waitFor } from '@tandem/service-kit/testing'
import { collectCspViolations, launchChromium, newPage } from './chromium.ts'
import { signUp } from './watch-support.ts'
import { PASSWORD, WebVisitor, registeredVisitor, uniqueEmail } from './web-visitor.ts'
import { startWeb } from './web-server.ts'

/**
 * Attacks through the pages, against the built web server in front of the real services: open
 * redirects after signing in, being made a member of a session by opening (or preloading) its page
 * or by another site's form, and script injection against the Content-Security-Policy.
 */
t.test('attacks through the pages', { timeout: 300_000 }, async (t) => {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  const base = system.webUrl
  const ours = new URL(base).origin
  let browser: Browser | undefined
  t.teardown(() => browser?.close())
  const chromium = async () => (browser ??= await launchChromium())

  await t.test('after signing in, next= never leads to another origin, and is never a 500', async (t) => {
    // as they stand in the query string (%09 is a tab once decoded, and so on)
    const attacks = [
      '/%09/evil.example/',
      '/%0a/evil.example/',
      '/%0d/evil.example/',
      '/%0d%0aSet-Cookie:%20x=y',
      '/%5c/evil.example/',
      '/%5C%5Cevil.example/',
      '/%5cevil.example/',
      '%2f%2fevil.example/',
      '/%2F/evil.example',
      '//evil.example/',
      'https://evil.example/',
      'javascript:alert(1)',
      `/${'%09'.repeat(3000)}/evil.example/`,
    ]
    const landsHome = (response: Response, what: string) => {
      t.equal(response.status, 303, `${what}: a redirect`)
      const location = response.headers.get('location') ?? ''
      t.equal(new URL(location, base).origin, ours, `${what}: to ${JSON.stringify(location).slice(0, 60)}, our origin`)
    }
    const signedIn = await registeredVisitor(base, 'Vic')
    for (const next of attacks) landsHome(await signedIn.get(`/login?next=${next}`), `signed in, GET /login?next=${next.slice(0, 30)}`)
    for (const next of attacks.slice(0, 3)) {
      const guest = new WebVisitor(base)
      const answer = await guest.post(`/register?next=${next}`, { displayName: 'Reg', email: uniqueEmail('reg'), password: PASSWORD })
      landsHome(answer, `POST /register?next=${next}`)
    }
    for (const next of attacks.slice(3, 8)) {
      const again = new WebVisitor(base)
      landsHome(await again.post(`/login?next=${next}`, { email: signedIn.email, password: PASSWORD }), `POST /login?next=${next}`)
    }
    t.equal((await signedIn.get('/login?next=/profile%3Ftab%3D1')).headers.get('location'), '/profile?tab=1', 'our own page is still followed')
  })

  const host = await registeredVisitor(base, 'Ada')
  const created = await host.post('/lobby?/create', { title: 'Open house', videoUrl: `${base}/media/sample.webm`, controlMode: 'everyone', visibility: 'public' })
  const sessionPath = created.headers.get('location') ?? ''
  t.match(sessionPath, /^\/sessions\/[0-9a-f-]+$/, 'the host started a session')
  const sessionId = sessionPath.split('/').at(-1) as string
  const members = async (): Promise<string[]> => {
    const response = await fetch(`${system.sessionUrl}/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${host.accessToken}` } })
    return ((await response.json()) as { members: string[] }).members
  }
  const before = await members()

  await t.test('opening, preloading or cross-site posting to a session page joins no one', async (t) => {
    const victim = await registeredVisitor(base, 'Vic')
    const page = await victim.get(sessionPath)
    t.equal(page.status, 200, 'the page opens')
    const html = await page.text()
    t.match(html, /<button[^>]*>Join<\/button>/, 'with a Join button')
    t.notMatch(html, /<video/, 'and no player')
    t.notMatch(html, /\/v1\/sessions\/[^"]*\/ws/, 'and no socket address')
    t.equal((await victim.get(`${sessionPath}/__data.json?x-sveltekit-invalidated=11`)).status, 200, 'its data (what a preload fetches)')
    t.same(await members(), before, 'a GET of the page and of its data left the members as they were')

    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
      const forged = await victim.post(`${sessionPath}?/join`, {}, { origin: 'http://evil.example', contentType })
      t.equal(forged.status, 403, `a ${contentType} post from http://evil.example is refused`)
    }
    t.same(await members(), before, 'and changed nothing')
  })

  await t.test('a hover preload or a link to the page joins no one, and no socket opens before Join', async (t) => {
    const vic = await signUp(await chromium(), base, 'Vic')
    const sockets: string[] = []
    vic.page.on('websocket', (socket) => sockets.push(socket.url()))
    // a link to the session in one of our pages, as the lobby's entries were: hovering preloads its data
    await vic.page.evaluate((path) => {
      const link = Object.assign(document.createElement('a'), { href: path, textContent: 'Open house', id: 'to-session' })
      document.querySelector('main')?.prepend(link)
    }, sessionPath)
    const preloaded = vic.page.waitForResponse((r) => r.url().includes(`${sessionPath}/__data.json`))
    await vic.page.hover('#to-session')
    t.equal((await preloaded).status(), 200, 'hovering the link preloaded the page')
    t.same(await members(), before, 'the preload joined no one')

    await vic.page.goto(`${base}${sessionPath}`)
    await vic.page.getByRole('button', { name: 'Join', exact: true }).waitFor()
    t.equal(await vic.page.locator('h1').textContent(), 'Open house', 'a link shows what the session is')
    t.match(await vic.page.locator('main').innerText(), /hosted by Ada/)
    t.same(await members(), before, 'and joins no one')
    t.same(sockets, [], 'no socket was opened, so no one in the session sees the visitor')

    await vic.page.getByRole('button', { name: 'Join', exact: true }).click()
    await vic.page.locator('.viewer .name', { hasText: 'Vic (you)' }).waitFor()
    t.equal((await members()).length, before.length + 1, 'Join made Vic a member')
    t.ok(sockets.length >= 1, 'and opened the socket')
    await vic.page.getByLabel('Chat message').fill('Hello, I joined')
    await vic.page.getByRole('button', { name: 'Send' }).click()
    await vic.page.locator('.message .text', { hasText: 'Hello, I joined' }).waitFor()
    t.pass('the live page works: Vic sees himself watching and chats')
    t.same(vic.cspViolations, [], 'and the Content-Security-Policy blocked nothing on the way')

    const cleo = await signUp(await chromium(), base, 'Cleo')
    await Promise.all([
      cleo.page.waitForURL(`${base}${sessionPath}`),
      cleo.page.locator('.sessions li', { hasText: 'Open house' }).getByRole('button').click(),
    ])
    await cleo.page.locator('.viewer .name', { hasText: 'Cleo (you)' }).waitFor()
    t.equal((await members()).length, before.length + 2, 'one click on a lobby entry joins and opens the session')
  })

  await t.test('the Content-Security-Policy: on every page, strict, with the session socket and media fetches allowed', async (t) => {
    const visitor = await registeredVisitor(base, 'Csp')
    const pages: Array<[WebVisitor, string]> = [
      [new WebVisitor(base), '/login'],
      [visitor, '/lobby'],
      [visitor, sessionPath],
      [visitor, '/sessions/00000000-0000-4000-8000-000000000000'],
    ]
    for (const [who, path] of pages) {
      const response = await who.get(path)
      const policy = parsePolicy(response.headers.get('content-security-policy') ?? '')
      const html = await response.text()
      const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1]
      t.ok(nonce, `${path} (${response.status}): the start-up script has a nonce`)
      t.same(policy['script-src'], ["'self'", `'nonce-${nonce}'`], `${path}: scripts from us or with this response's nonce`)
      // http(s) addresses: the watch page's HLS playlists and subtitles (https only on an https page)
      t.same(policy['connect-src'], ["'self'", system.sessionUrl, system.sessionUrl.replace('http', 'ws'), 'http:', 'https:'], `${path}: connect-src`)
      for (const [directive, sources] of Object.entries(REQUIRED)) t.same(policy[directive], sources, `${path}: ${directive}`)
      const scriptDirectives = Object.keys(policy).filter((d) => d.startsWith('script-src') || d === 'default-src')
      t.same(scriptDirectives.flatMap((d) => policy[d] ?? []).filter((s) => s.startsWith("'unsafe-")), [], `${path}: nothing unsafe for scripts`)
    }

    // the browser's address of session-service is configuration (PUBLIC_SESSION_URL), read at run time
    const other = await startWeb({
      AUTH_URL: system.authUrl,
      PROFILE_URL: system.profileUrl,
      SESSION_URL: system.sessionUrl,
      PUBLIC_SESSION_URL: 'https://sessions.tandem.example/live',
    })
    t.teardown(() => other.stop())
    const policy = parsePolicy((await fetch(`${other.url}/login`)).headers.get('content-security-policy') ?? '')
    // with no ORIGIN the web server takes its pages for https ones: media fetches from https only
    t.same(policy['connect-src'], ["'self'", 'https://sessions.tandem.example', 'wss://sessions.tandem.example', 'https:'], 'PUBLIC_SESSION_URL is the socket allowed')
  })

  await t.test('an injected inline script without the nonce does not run, and is reported', async (t) => {
    const context = await (await chromium()).newContext()
    t.teardown(() => context.close())
    const violations = await collectCspViolations(context)
    const page = await newPage(context)
    await page.goto(`${base}/login`)
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.injected = true'
      document.body.append(script)
      const img = document.createElement('img')
      img.setAttribute('src', 'x')
      img.setAttribute('onerror', 'window.injected = true')
      document.body.append(img)
    })
    await waitFor(() => violations.length >= 2, 30_000, 'two violations reported')
    t.equal(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected), undefined, 'neither ran')
    t.ok(violations.some((v) => v.startsWith('script-src-elem inline')), `the script was blocked: ${violations.join(' | ')}`)
    t.ok(violations.some((v) => v.startsWith('script-src-attr inline')), 'and the onerror attribute')
  })
})

/** The directives every page has, as written (svelte.config.js). */
const REQUIRED: Record<string, string[]> = {
  'default-src': ["'self'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
  'img-src': ["'self'"],
  'media-src': ["'self'", 'https:', 'http:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
}

/** A policy header as directive → sources; a directive written twice fails the parse. */
function parsePolicy(header: string): Record<string, string[]> {
  const policy: Record<string, string[]> = {}
  for (const directive of header.split(';').map((d) => d.trim()).filter(Boolean)) {
    const [name = '', ...sources] = directive.split(/\s+/)
    if (name in policy) throw new Error(`${name} twice in ${header}`)
    policy[name] = sources
  }
  return policy
}
