import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startNativeSystem } from '@tandem/service-kit/testing'
import { launchChromium, newPage } from './chromium.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))

/** Register, lobby, create a session, profile, bad input, 404, log out and in: against the real services. */
t.test('the pages work against the real services', { timeout: 300_000 }, async (t) => {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await newPage(browser)
  mkdirSync(artifacts, { recursive: true })
  const shot = (name: string) => page.screenshot({ path: `${artifacts}pages-${name}.png`, fullPage: true })
  const base = system.webUrl
  const errorsOf = () => page.locator('.field-error, .form-error').allTextContents()

  await page.goto(`${base}/lobby`)
  t.match(page.url(), /\/login\?next=%2Flobby$/, 'signed out, the lobby sends you to log in')

  await page.goto(`${base}/register`)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.locator('.field-error').first().waitFor()
  t.same(await errorsOf(), ['Enter the name others will see.', 'Enter your e-mail address.', 'Enter a password.'], 'empty form: inline messages')
  // the field stops typing at 40 characters; the server check matters for pastes and old browsers
  await page.locator('#field-displayName').evaluate((input) => input.removeAttribute('maxlength'))
  await page.getByLabel('Name others see').fill('x'.repeat(41))
  await page.getByLabel('E-mail').fill('not-an-address')
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForFunction(() => document.querySelectorAll('.field-error').length === 3 && document.body.innerText.includes('at least 8'))
  t.same(await errorsOf(), ['Keep it to 40 characters.', 'This does not look like an e-mail address.', 'Use at least 8 characters.'], 'too long, malformed, too short')
  await shot('register-errors')

  const email = `viewer-${Date.now()}@example.com`
  await page.getByLabel('Name others see').fill('Ada')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill('correct horse battery')
  await Promise.all([page.waitForURL(`${base}/lobby`), page.getByRole('button', { name: 'Create account' }).click()])
  t.pass('registered and sent to the lobby')

  t.equal(await page.getByLabel('Video URL').inputValue(), `${base}/media/sample.webm`, 'the sample video is the default')
  t.equal(await page.getByLabel('Who can join').inputValue(), 'private', 'a new session is private unless chosen otherwise')
  await page.getByLabel('Title').fill('Film night')
  await page.getByLabel('Who can join').selectOption('public')
  await Promise.all([page.waitForURL(/\/sessions\//), page.getByRole('button', { name: 'Start watching' }).click()])
  t.equal(await page.locator('h1').textContent(), 'Film night', 'a new session opens its watch page')
  const watchUrl = page.url()

  await page.goto(`${base}/lobby`)
  await page.locator('.sessions li').first().waitFor()
  t.match(await page.locator('.sessions li').first().textContent(), /Film night\s+hosted by Ada.*playing sample\.webm\s+\d+ watching/s, 'the lobby lists it, with what is playing')
  await shot('lobby')

  await page.goto(`${base}/profile`)
  await page.getByLabel('Display name').fill('')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.locator('.field-error').first().waitFor()
  t.same(await errorsOf(), ['Enter the name others will see.'], 'profile: empty name refused inline')
  await page.getByLabel('Display name').fill('Ada L.')
  await page.getByLabel('About you').fill('Likes silent films.')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Saved.').waitFor()
  t.match(await page.locator('header').textContent(), /Ada L\./, 'the header shows the new name')
  await shot('profile')

  const missing = await page.goto(`${base}/sessions/00000000-0000-4000-8000-000000000000`)
  t.equal(missing?.status(), 404, 'an unknown session is a 404')
  t.equal(await page.locator('h1').textContent(), 'Not found', 'with a proper page')
  await shot('404')

  await Promise.all([page.waitForURL(`${base}/login`), page.getByRole('button', { name: 'Log out' }).click()])
  await page.goto(watchUrl)
  t.match(page.url(), /\/login\?next=/, 'logged out: the watch page needs a login again')
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill('wrong password!')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.locator('.form-error').waitFor()
  t.same(await errorsOf(), ['Wrong e-mail address or password.'], 'wrong password: an inline message')
  await page.getByLabel('Password').fill('correct horse battery')
  await Promise.all([page.waitForURL(watchUrl), page.getByRole('button', { name: 'Log in' }).click()])
  t.pass('logging in returns to the page asked for')

  await page.setViewportSize({ width: 375, height: 740 })
  await page.goto(`${base}/lobby`)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  t.equal(overflow, 0, 'nothing overflows a narrow (mobile) viewport')
  await shot('lobby-mobile')
})
