import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import { startNativeSystem } from '@tandem/service-kit/testing'
import { SHORTCUT_LIST } from '../src/lib/live/shortcuts.ts'
import { launchChromium } from './chromium.ts'
import { joinSession, signUp, startSession, videoTime, waitUntil } from './watch-support.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))
/** 60 characters without a space: the title that once squeezed into a one-letter column */
const LONG_TITLE = `Movienight${'1796154336688'.repeat(4)}`.slice(0, 60)

/** What the page's `<video>` plays at: its volume (0–1) and whether it is muted. */
const soundOf = (page: Page) => page.locator('video').evaluate((v: HTMLVideoElement) => ({ volume: v.volume, muted: v.muted }))

/** Whether the document's fullscreen element is the stage (null: nothing is fullscreen). */
const fullscreenIsStage = (page: Page) =>
  page.evaluate(() => (document.fullscreenElement ? document.fullscreenElement.matches('section.stage') : null))

/** Moves focus off any control, so that keys reach the page's shortcuts. */
const focusPage = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())

/**
 * The player controls each viewer has for themself, in Debian's chromium against the whole of
 * Tandem: fullscreen of the stage (the badge and the chat overlay go along), the volume and mute
 * remembered on the device, the list of shortcuts, reactions that float on everyone's player and
 * come back in the replay at their moment (and say so when there are too many), and the watch page on a 390 px wide phone.
 */
t.test('fullscreen, sound, shortcuts, reactions and a narrow screen', { timeout: 300_000 }, async (t) => {
  const system = await startNativeSystem()
  t.teardown(() => system.destroy())
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  mkdirSync(artifacts, { recursive: true })
  const base = system.webUrl

  const [ada, ben] = await Promise.all([signUp(browser, base, 'Ada'), signUp(browser, base, 'Ben')])
  // While `limitBen` is set, Ben's reactions are answered as the server answers one past its
  // rate limit (the limit itself is session-service's, tested there).
  let limitBen = false
  await ben.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer()
    server.onMessage((message) => ws.send(message))
    ws.onMessage((message) => {
      const frame = typeof message === 'string' ? (JSON.parse(message) as { type: string; id?: string; command?: { type: string } }) : null
      if (limitBen && frame?.type === 'command' && frame.command?.type === 'react') {
        return ws.send(JSON.stringify({ type: 'reject', id: frame.id, code: 'rate_limited', message: 'too many reactions; slow down' }))
      }
      server.send(message)
    })
  })
  const path = await startSession(ada.page, LONG_TITLE, `${base}/media/sample.webm`)
  await joinSession(ben.page, `${base}${path}`)
  for (const v of [ada, ben]) await v.page.locator('.badge[data-state="in-sync"]').waitFor()

  await t.test('f puts the stage in fullscreen with the sync badge and the chat overlay; f again leaves', async (t) => {
    const { page } = ada
    const button = page.getByRole('button', { name: 'Fullscreen' })
    t.equal(await button.getAttribute('aria-pressed'), 'false')
    await focusPage(page)
    await page.keyboard.press('f')
    await waitUntil('the stage is fullscreen', async () => (await fullscreenIsStage(page)) === true)
    t.pass('document.fullscreenElement is the stage, not the bare video')
    await waitUntil('the button says so', async () => (await button.getAttribute('aria-pressed')) === 'true')
    const badge = page.locator(':fullscreen .badge')
    t.ok(await badge.isVisible(), 'a sync badge is inside the fullscreen element and visible')
    const box = await badge.boundingBox()
    const viewport = page.viewportSize()!
    t.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, 'within the screen')

    await ben.page.getByLabel('Chat message').fill('Popcorn ready')
    await ben.page.getByRole('button', { name: 'Send' }).click()
    await page.locator(':fullscreen .feed li', { hasText: 'Popcorn ready' }).waitFor()
    t.pass('Ben’s chat message shows over Ada’s fullscreen player')
    await page.screenshot({ path: join(artifacts, 'controls-fullscreen.png') })

    await page.keyboard.press('f')
    await waitUntil('fullscreen is left', async () => (await fullscreenIsStage(page)) === null)
    await waitUntil('the button follows', async () => (await button.getAttribute('aria-pressed')) === 'false')
    t.equal(await page.locator('.badge').count(), 1, 'the overlay badge went with fullscreen')

    // The button, then fullscreen left from outside the page's controls. (Escape is the browser's
    // own way out, handled by its window, which headless chromium does not have; the page hears
    // of either way by the same fullscreenchange event.)
    await button.click()
    await waitUntil('fullscreen by the button', async () => (await fullscreenIsStage(page)) === true)
    await page.evaluate(() => document.exitFullscreen())
    await waitUntil('the button follows', async () => (await button.getAttribute('aria-pressed')) === 'false')
    t.equal(await fullscreenIsStage(page), null, 'the button enters fullscreen; its state follows a fullscreen left another way')
  })

  await t.test('the volume by keyboard and m for mute are this device’s and survive a reload', async (t) => {
    const { page } = ben
    const slider = page.getByRole('slider', { name: 'Volume' })
    const mute = page.getByRole('button', { name: 'Mute' })
    t.same(await soundOf(page), { volume: 1, muted: false }, 'full volume at first')
    await slider.focus()
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft')
    await waitUntil('the video plays at 80 %', async () => (await soundOf(page)).volume === 0.8)
    t.equal(await slider.inputValue(), '80')
    t.same(await soundOf(ada.page), { volume: 1, muted: false }, 'Ada’s player is not touched')

    await focusPage(page)
    await page.keyboard.press('m')
    await waitUntil('m mutes the video', async () => (await soundOf(page)).muted)
    t.equal(await mute.getAttribute('aria-pressed'), 'true')

    await page.reload()
    await page.locator('.badge[data-state="in-sync"]').waitFor()
    t.same(await soundOf(page), { volume: 0.8, muted: true }, 'after a reload the video is at 80 % and muted')
    t.equal(await slider.inputValue(), '80')
    t.equal(await mute.getAttribute('aria-pressed'), 'true')

    await focusPage(page)
    await page.keyboard.press('m')
    await waitUntil('m unmutes', async () => !(await soundOf(page)).muted)
    t.equal(await mute.getAttribute('aria-pressed'), 'false')
  })

  await t.test('? lists the shortcuts; Escape and Close shut the list, focus goes back', async (t) => {
    const { page } = ada
    await focusPage(page)
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    t.same(await dialog.locator('td').allTextContents(), SHORTCUT_LIST.map((s) => s.description), 'every shortcut is listed')
    await page.keyboard.press('f')
    t.equal(await fullscreenIsStage(page), null, 'keys in the dialog are not shortcuts')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    t.pass('Escape closes it')

    const open = page.getByRole('button', { name: 'Keyboard shortcuts' })
    await open.click()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'hidden' })
    t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Keyboard shortcuts', 'focus is back on the ? button')
  })

  await t.test('a reaction floats on the other player and replays at its moment', async (t) => {
    // the room moves to 0:05 (paused), where Ben reacts
    await focusPage(ada.page)
    await ada.page.keyboard.press('ArrowRight')
    for (const page of [ada.page, ben.page]) await waitUntil('the room is at 0:05', async () => Math.abs((await videoTime(page)) - 5) < 0.05)
    await ben.page.getByRole('button', { name: 'React 🎉' }).click()
    const float = ada.page.locator('.player .float', { hasText: '🎉' })
    await float.waitFor()
    t.match(await float.textContent(), /Ben/, 'on Ada’s player, with who sent it')
    await float.waitFor({ state: 'detached' })
    t.pass('and it goes away by itself')

    await ada.page.getByLabel('Replay with the video').check()
    const replayed = ada.page.locator('.messages .reaction', { hasText: '🎉' })
    await replayed.waitFor()
    t.match(await replayed.textContent(), /Ben/)
    const at = Number(await replayed.getAttribute('data-video-position'))
    t.ok(Math.abs(at - 5) < 0.05, `the reaction is at its video moment (${at} s)`)
    await focusPage(ada.page)
    await ada.page.keyboard.press('ArrowLeft')
    await replayed.waitFor({ state: 'detached' })
    t.pass('back before that moment, the replay no longer shows it')
    await ada.page.getByLabel('Replay with the video').uncheck()

    limitBen = true
    await ben.page.getByRole('button', { name: 'React 👍' }).click()
    await ben.page.getByRole('alert').filter({ hasText: 'Slow down a little' }).waitFor()
    t.pass('a reaction refused as too many says so')
    limitBen = false
  })

  await t.test('on a 390 px wide phone the long title, the controls and the panels fit', async (t) => {
    const { page } = ben
    await page.setViewportSize({ width: 390, height: 844 })
    await waitUntil('the page fits the width', () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).catch(async (error: Error) => {
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 8)
          .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
      )
      throw new Error(`wider than the screen: ${wide.join('; ')}`, { cause: error })
    })
    t.pass('nothing sticks out: document.documentElement.scrollWidth <= innerWidth')
    const title = await page.getByRole('heading', { level: 1 }).boundingBox()
    t.ok(title && title.width >= 200, `the title box is ${title?.width.toFixed(0)} px wide`)
    const controls = [
      page.getByRole('button', { name: 'Play' }),
      page.getByLabel('Speed'),
      page.getByRole('button', { name: 'Mute' }),
      page.getByRole('slider', { name: 'Volume' }),
      page.getByRole('button', { name: 'Fullscreen' }),
      page.getByRole('button', { name: 'Keyboard shortcuts' }),
      page.getByRole('button', { name: 'React 👍' }),
      page.getByRole('button', { name: 'React 🎉' }),
      page.getByRole('switch', { name: 'Auto-sync' }),
      page.getByRole('button', { name: 'Leave' }),
      page.getByRole('button', { name: 'Send' }),
    ]
    for (const control of controls) {
      const box = await control.boundingBox()
      t.ok(box && (await control.isVisible()) && box.x >= 0 && box.x + box.width <= 390, `${control} is visible within the screen`)
    }
    const [mute, help] = await Promise.all([controls[2]!.boundingBox(), controls[5]!.boundingBox()])
    t.ok(mute && help && Math.abs(mute.y - help.y) < 1, 'sound, fullscreen and the shortcut list share one row')
    await page.screenshot({ path: join(artifacts, 'controls-390.png'), fullPage: true })
  })
})
