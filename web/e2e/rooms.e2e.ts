import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import { startNativeSystem } from '@tandem/service-kit/testing'
import { collectCspViolations, launchChromium, newPage } from './chromium.ts'
import { signUp, startSession, waitUntil, type Viewer } from './watch-support.ts'
import { startWebOnReplica } from './web-server.ts'
import { PASSWORD, uniqueEmail } from './web-visitor.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))
const docsScreenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
/** how long session-service waits for a host whose sockets all dropped before handing control on */
const HOST_GONE_MS = 3000

/** The link in the open invite dialog of `page`, once it is there. */
async function inviteLinkIn(page: Page): Promise<string> {
  const field = page.getByRole('dialog').getByLabel('Invite link')
  await field.waitFor()
  return field.inputValue()
}

/** The role badge next to `name` in `page`'s viewer list ('' for none), once `name` is listed. */
async function badgeOf(page: Page, name: string): Promise<string> {
  const row = page.locator('.viewer', { has: page.locator('.name', { hasText: name }) })
  await row.waitFor()
  return (await row.locator('.role').allTextContents()).join(',')
}

/**
 * Rooms in Debian's chromium against the whole of Tandem (both session-service replicas): a
 * private session is invisible to strangers (not in the lobby, not found at its address) until
 * its invite link brings them in, through signing up on the way; resetting the link turns the
 * old one into a clear "no longer valid" page; the host names a co-host and hands control over,
 * and everyone sees the badges and the notice; the host's settings open the session to the
 * lobby and let members share the link; an ended session says why; a host whose pages all close
 * hands control to who is still watching, across replicas. No invite token reaches a log.
 */
t.test('private sessions, invite links, roles and settings', { timeout: 480_000 }, async (t) => {
  const system = await startNativeSystem({ env: { HOST_GONE_MS: String(HOST_GONE_MS) } })
  t.teardown(() => system.destroy())
  // pages pinned to one replica each (past the balancer), so that "across replicas" is certain
  const [web1, web2] = await Promise.all([startWebOnReplica(system, 1), startWebOnReplica(system, 2)])
  t.teardown(() => Promise.all([web1.stop(), web2.stop()]))
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  mkdirSync(artifacts, { recursive: true })
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `rooms-${name}.png`) })
  const base = web1.url
  const tokens: string[] = []

  const [ada, ben, dan] = await Promise.all([signUp(browser, base, 'Ada'), signUp(browser, base, 'Ben'), signUp(browser, base, 'Dan')])
  await ada.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const sessionPath = await startSession(ada.page, 'Secret screening', `${base}/media/sample.webm`, 'private')
  const sessionId = sessionPath.split('/').at(-1) as string
  await ada.page.locator('.viewer .name', { hasText: 'Ada (you)' }).waitFor()

  await t.test('a stranger neither sees the private session in the lobby nor finds it at its address', async (t) => {
    await ben.page.goto(`${base}/lobby`)
    t.equal(await ben.page.locator('main', { hasText: 'Secret screening' }).count(), 0, 'not in the lobby')
    const response = await ben.page.goto(`${base}${sessionPath}`)
    t.equal(response?.status(), 404, 'its address is a 404')
    t.equal(await ben.page.locator('h1').textContent(), 'Not found')
    t.notMatch(await ben.page.locator('main').innerText(), /Secret screening/, 'the page does not give the title away')
  })

  let firstLink = ''
  await t.test('the host opens the invite dialog: the link, copied', async (t) => {
    await ada.page.getByRole('button', { name: /^Invite people/ }).click()
    firstLink = await inviteLinkIn(ada.page)
    t.match(firstLink, new RegExp(`^${base}/sessions/${sessionId}\\?invite=[A-Za-z0-9_-]+$`), 'the link is the watch page with a token')
    tokens.push(new URL(firstLink).searchParams.get('invite') as string)
    await ada.page.getByRole('dialog').getByText('Copied').waitFor()
    t.equal(await ada.page.evaluate(() => navigator.clipboard.readText()), firstLink, 'and it is on the clipboard')
    t.ok(await ada.page.getByRole('dialog').getByLabel('Invite link').evaluate((input: HTMLInputElement) => input.readOnly), 'in a read-only field')
    await shot(ada.page, 'invite-dialog')
    await ada.page.getByRole('button', { name: 'Done' }).click()
  })

  let cleo: Viewer | undefined
  /** Cleo, who came by the invite link; the steps after it need her */
  const invited = (): Viewer => {
    if (!cleo) throw new Error('Cleo never joined: an earlier step failed')
    return cleo
  }
  await t.test('signed out, the link leads through signing up and back to a Join that works', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    const cspViolations = await collectCspViolations(context)
    const page = await newPage(context)
    await page.goto(firstLink)
    t.match(page.url(), /\/login\?next=/, 'signed out: the login page')
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Name others see').fill('Cleo')
    await page.getByLabel('E-mail').fill(uniqueEmail('Cleo'))
    await page.getByLabel('Password').fill(PASSWORD)
    await Promise.all([page.waitForURL(firstLink), page.getByRole('button', { name: 'Create account' }).click()])
    t.pass('signing up comes back to the invite link')
    await page.getByRole('heading', { name: 'You are invited to a watch session' }).waitFor()
    await Promise.all([page.waitForURL(`${base}${sessionPath}`), page.getByRole('button', { name: 'Join', exact: true }).click()])
    await page.locator('.viewer .name', { hasText: 'Cleo (you)' }).waitFor()
    t.equal(await page.locator('h1').first().textContent(), 'Secret screening', 'Cleo is in, and the token left the address bar')
    cleo = { name: 'Cleo', context, page, cspViolations }
    await ada.page.locator('.viewer .name', { hasText: 'Cleo' }).waitFor()
    t.pass('the host sees Cleo watching')
  })

  let secondLink = ''
  await t.test('the host resets the link: the old one shows a clear page, the new one works', async (t) => {
    await ada.page.getByRole('button', { name: /^Invite people/ }).click()
    t.equal(await inviteLinkIn(ada.page), firstLink, 'the dialog shows the current link')
    await ada.page.getByRole('button', { name: 'Reset invite link' }).click()
    await ada.page.getByRole('dialog').getByText('The old link no longer works').waitFor()
    secondLink = await inviteLinkIn(ada.page)
    t.not(secondLink, firstLink, 'a new link')
    tokens.push(new URL(secondLink).searchParams.get('invite') as string)
    await ada.page.getByRole('button', { name: 'Done' }).click()

    await dan.page.goto(firstLink)
    await dan.page.getByRole('button', { name: 'Join', exact: true }).click()
    await dan.page.getByRole('heading', { name: 'Invite link no longer valid' }).waitFor()
    const text = await dan.page.locator('main').innerText()
    t.match(text, /This invite link is no longer valid; ask the host for a new one\./, 'the old link: a clear page')
    t.notMatch(text, /Secret screening|Error|at .*\.ts/, 'without the title or a stack trace')
    await shot(dan.page, 'invite-invalid')

    const made = await dan.page.goto(`${base}${sessionPath}?invite=not*a*token`)
    t.equal(made?.status(), 404, 'a made-up token: 404')
    t.match(await dan.page.locator('main').innerText(), /This invite link is no longer valid/, 'with the same words')

    await dan.page.goto(secondLink)
    await Promise.all([dan.page.waitForURL(`${base}${sessionPath}`), dan.page.getByRole('button', { name: 'Join', exact: true }).click()])
    await dan.page.locator('.viewer .name', { hasText: 'Dan (you)' }).waitFor()
    t.pass('the new link lets Dan in')
    t.equal(await dan.page.getByRole('button', { name: /^Invite people/ }).count(), 0, 'a plain member has no Invite button')
  })

  await t.test('roles: a co-host, then a new host; badges and the notice on every page', async (t) => {
    const pages = [ada.page, invited().page, dan.page]
    await ada.page.getByRole('button', { name: 'Make co-host: Cleo' }).click()
    for (const page of pages) await waitUntil('Cleo is co-host', async () => (await badgeOf(page, 'Cleo')) === 'co-host')
    t.pass('every page shows Cleo as co-host')
    await invited().page.getByRole('button', { name: /^Invite people/ }).waitFor()
    t.pass('a co-host may share the invite link')
    t.equal(await invited().page.getByRole('button', { name: 'Reset invite link' }).count(), 0, 'but not reset it')

    await ada.page.getByRole('button', { name: 'Remove co-host: Cleo' }).click()
    await waitUntil('Cleo is no co-host', async () => (await badgeOf(dan.page, 'Cleo')) === '')
    await ada.page.getByRole('button', { name: 'Make co-host: Cleo' }).click()
    await waitUntil('Cleo is co-host again', async () => (await badgeOf(dan.page, 'Cleo')) === 'co-host')

    await ada.page.getByRole('button', { name: 'Make host: Dan' }).click()
    await ada.page.getByText('Dan is now the host').waitFor()
    await invited().page.getByText('Dan is now the host').waitFor()
    await dan.page.getByText('You are now the host').waitFor()
    for (const page of pages) await waitUntil('Dan is host', async () => (await badgeOf(page, 'Dan')) === 'host')
    t.equal(await badgeOf(ada.page, 'Ada'), '', 'Ada is a plain member now')
    t.equal(await ada.page.getByRole('button', { name: /^Make host/ }).count(), 0, 'and has no role buttons any more')
    t.ok(await dan.page.getByRole('button', { name: 'Make host: Ada' }).count(), 'Dan has them')
    await shot(invited().page, 'roles')
  })

  await t.test('the host’s settings: public puts it in the lobby, members may share the link', async (t) => {
    await dan.page.getByLabel('Who can join').selectOption('public')
    await ben.page.goto(`${base}/lobby`)
    const entry = ben.page.locator('.sessions li', { hasText: 'Secret screening' })
    await entry.waitFor()
    t.match(await entry.innerText(), /playing sample\.webm[\s\S]*\d+ watching/, 'listed with what plays and how many watch')

    t.equal(await ada.page.getByRole('button', { name: /^Invite people/ }).count(), 0, 'a member may not share the link yet')
    await dan.page.getByLabel('Let members share the invite link').check()
    await ada.page.getByRole('button', { name: /^Invite people/ }).waitFor()
    t.pass('now a member may')

    await ada.page.goto(`${base}/lobby`)
    await ada.page.locator('.mine li', { hasText: 'Secret screening' }).getByRole('button', { name: /^Invite people/ }).waitFor()
    await ada.page.locator('.sessions li', { hasText: 'Secret screening' }).waitFor()
    await shot(ada.page, 'lobby')
    t.pass('the lobby: Your sessions (with Invite) above the public list')
  })

  await t.test('the lobby search finds a session by its title', async (t) => {
    await ben.page.getByLabel('Search sessions').fill('secret')
    await Promise.all([ben.page.waitForURL(/\/lobby\?q=secret/), ben.page.getByRole('button', { name: 'Search' }).click()])
    await ben.page.locator('.sessions li', { hasText: 'Secret screening' }).waitFor()
    await ben.page.getByLabel('Search sessions').fill('nothing like it')
    await Promise.all([ben.page.waitForURL(/q=nothing/), ben.page.getByRole('button', { name: 'Search' }).click()])
    await ben.page.getByText('No open session matches').waitFor()
    t.pass('found, and an empty search says so')
  })

  await t.test('the host’s pages close: control goes to who is watching, across replicas', async (t) => {
    // Dan hosts on replica 1; Cleo (co-host) watches through replica 2
    await invited().page.goto(`${web2.url}${sessionPath}`)
    await invited().page.locator('.viewer .name', { hasText: 'Cleo (you)' }).waitFor()
    await dan.page.close()
    await invited().page.getByText('You are now the host').waitFor({ timeout: HOST_GONE_MS + 60_000 })
    await ada.page.goto(`${base}${sessionPath}`)
    await waitUntil('Cleo is host on replica 1', async () => (await badgeOf(ada.page, 'Cleo')) === 'host')
    t.pass('Cleo, the co-host still watching, took over; both replicas agree')
  })

  await t.test('an ended session says why; members keep the chat, a non-member gets no Join', async (t) => {
    await invited().page.getByLabel('Chat message').fill('Thanks for coming')
    await invited().page.getByRole('button', { name: 'Send' }).click()
    await ada.page.locator('.message .text', { hasText: 'Thanks for coming' }).waitFor()
    await invited().page.getByRole('button', { name: 'End session' }).click()
    await invited().page.getByRole('button', { name: 'End for everyone' }).click()
    await ada.page.getByText('This session has ended. The host ended it.').waitFor()
    await ada.page.reload()
    await ada.page.locator('.message .text', { hasText: 'Thanks for coming' }).waitFor()
    t.pass('a member reopening the page still has the chat')
    await ben.page.goto(`${base}${sessionPath}`)
    await ben.page.getByText('This session has ended. The host ended it.').waitFor()
    t.equal(await ben.page.getByRole('button', { name: 'Join', exact: true }).count(), 0, 'the ended public session offers Ben no Join')
  })

  t.same([...ada.cspViolations, ...ben.cspViolations, ...(cleo?.cspViolations ?? [])], [], 'the Content-Security-Policy blocked nothing')
  const logs = join(system.runDir, 'logs')
  const leaked = readdirSync(logs).filter((file) => tokens.some((token) => readFileSync(join(logs, file), 'utf8').includes(token)))
  t.same(leaked, [], `no invite token in any log of ${logs} (the balancer's included)`)
  t.notOk([web1, web2].some((web) => tokens.some((token) => web.output().includes(token))), 'nor in the log of the web servers the pages came from')
  t.equal(tokens.length, 2, 'both tokens were looked for')

  // docs/screenshots/ shows the lobby and the invite dialog; refresh them with TANDEM_UPDATE_SCREENSHOTS=1.
  if (process.env.TANDEM_UPDATE_SCREENSHOTS === '1') {
    for (const name of ['lobby', 'invite-dialog']) copyFileSync(join(artifacts, `rooms-${name}.png`), join(docsScreenshots, `rooms-${name}.png`))
    t.comment(`copied rooms-lobby.png and rooms-invite-dialog.png to ${docsScreenshots}`)
  }
})
