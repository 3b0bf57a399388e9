import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import { newPage } from './chromium.ts'
import {
  countSeeks,
  driftOf,
  inSync,
  joinSession,
  startSession,
  jumpBy,
  sample,
  samplesOverPlayback,
  signUp,
  startWatchStage,
  videoPaused,
  waitUntil,
} from './watch-support.ts'

/** The speed menu's value and the rate the element really plays at. */
async function speedOf(page: Page): Promise<{ menu: string; element: number }> {
  const menu = await page.getByLabel('Speed').inputValue()
  const element = await page.locator('video').evaluate((v: HTMLVideoElement) => v.playbackRate)
  return { menu, element }
}

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))

/**
 * The watch page's own life cycle and the player's honesty, in Debian's chromium against the
 * whole of Tandem: a viewer with auto-sync off plays at exactly the session's rate, the watch
 * page's Auto-sync switch turns correction off and on live (without saving it), a refused
 * speed change does not stay in the menu, Leave goes back to the lobby, and the host's End
 * (after a confirmation) shows everyone, on both replicas, that the session is over.
 */
t.test('leaving, ending, and a player that follows without correcting', { timeout: 240_000 }, async (t) => {
  const { system, web1, web2, browser } = await startWatchStage(t)
  mkdirSync(artifacts, { recursive: true })
  const shot = async (page: Page, name: string) => {
    const path = join(artifacts, `watch-${name}.png`)
    await page.screenshot({ path })
    t.comment(`screenshot: ${path}`)
  }

  // Ada hosts (replica 1); Ben watches through replica 2; Cleo turned auto-sync off (replica 1).
  const [ada, ben, cleo] = await Promise.all([
    signUp(browser, web1.url, 'Ada'),
    signUp(browser, web2.url, 'Ben'),
    signUp(browser, web1.url, 'Cleo'),
  ])
  await cleo.page.goto(`${web1.url}/profile`)
  await cleo.page.getByLabel('Keep my player in sync with the room').uncheck()
  await cleo.page.getByRole('button', { name: 'Save' }).click()
  await cleo.page.getByText('Saved.').waitFor()

  // Ben's socket loses the first ControlModeChanged event on its way to him, as if the host
  // switched to host-only control while his speed change was on its way: his page still offers
  // the controls, and the server refuses what he does with them.
  let droppedModeChange = false
  await ben.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      if (!droppedModeChange && typeof message === 'string' && message.includes('"ControlModeChanged"')) {
        droppedModeChange = true
        return
      }
      ws.send(message)
    })
  })

  // While `othersBufferForAda` is set, every presence frame reaching Ada says the others are
  // buffering (a real stall cannot be made to order in a browser; presence itself is
  // session-service's, tested there).
  let othersBufferForAda = false
  await ada.page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer()
    let adaId = ''
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      if (typeof message !== 'string') return ws.send(message)
      const frame = JSON.parse(message) as { type: string; userId?: string; viewers?: Array<{ userId: string; buffering: boolean }> }
      if (frame.type === 'welcome') adaId = frame.userId ?? ''
      if (frame.type !== 'presence' || !othersBufferForAda) return ws.send(message)
      const viewers = frame.viewers?.map((v) => (v.userId === adaId ? v : { ...v, buffering: true }))
      ws.send(JSON.stringify({ ...frame, viewers }))
    })
  })

  const sessionPath = await startSession(ada.page, 'Last show', `${system.webUrl}/media/sample.webm`)
  await joinSession(ben.page, `${web2.url}${sessionPath}`)
  await joinSession(cleo.page, `${web1.url}${sessionPath}`)
  for (const v of [ada, ben]) await v.page.locator('.badge[data-state="in-sync"]').waitFor()
  await ada.page.locator('.viewer').nth(2).waitFor()

  await t.test('auto-sync off: the badge says so, and the player plays at exactly the session rate', async (t) => {
    const { page } = cleo
    await page.locator('.badge[data-state="sync-off"]', { hasText: 'Sync off' }).waitFor()
    t.pass('Cleo’s badge says "Sync off" (not "In sync", not "Correcting")')
    t.notOk(await page.getByRole('switch', { name: 'Auto-sync' }).isChecked(), 'her Auto-sync switch starts off, as her profile says')
    await ada.page.getByRole('button', { name: 'Play', exact: true }).click()
    await waitUntil('Cleo’s player follows the start', async () => !(await videoPaused(page)) && (await sample(page)).currentTime > 1)
    // Her player gets 300 ms ahead of the room: drift the drift controller would nudge away.
    const before = driftOf(await sample(page))
    const landed = await jumpBy(page, 0.3 - before)
    t.comment(`Cleo’s drift after following the start: ${(before * 1000).toFixed(0)} ms; ${(landed * 1000).toFixed(0)} ms once her local jump landed`)
    await ada.page.getByLabel('Speed').selectOption('1.5')
    await waitUntil('Cleo follows the rate change', async () => (await speedOf(page)).element === 1.5)
    // From here on nothing in the room changes, so nothing may move her element: neither a
    // correction rate nor a jump. (Following the rate change itself may have jumped her, if a
    // stall had taken her further than a jump from the room meanwhile: a jump is followed.)
    const seeks = await countSeeks(page)
    const taken = await samplesOverPlayback(page, 3)
    t.same([...new Set(taken.map((s) => s.playbackRate))], [1.5], 'over 3 s of her video her element played at exactly 1.5×, never at a corrected rate')
    t.comment(`Cleo’s drift every 250 ms after the rate change: ${taken.map((s) => (driftOf(s) * 1000).toFixed(0)).join(', ')} ms`)
    t.equal(await seeks(), 0, 'her drift was left alone: the rate above rules out a nudge, and her player was never jumped back to the room')
    t.same(await speedOf(page), { menu: '1.5', element: 1.5 }, 'the menu shows the session rate too')
    await page.locator('.badge[data-state="sync-off"]').waitFor()
    await ada.page.locator('.badge[data-state="in-sync"]').waitFor()
    t.pass('Ada’s (auto-sync on) badge is in sync; Cleo’s still says "Sync off"')
  })

  await t.test('the Auto-sync switch turns correction off and on, live and for this page only', async (t) => {
    const { page } = ben
    const toggle = page.getByRole('switch', { name: 'Auto-sync' })
    t.ok(await toggle.isChecked(), 'Ben’s switch starts on, as his profile says')
    // 300 ms ahead of the room (at 1.5×): his drift controller nudges him back
    const before = driftOf(await sample(page))
    await jumpBy(page, 0.3 - before)
    await waitUntil('Ben’s player is nudged', async () => {
      const now = await sample(page)
      if (now.mode === 'nudging') return true
      // a playback stall between the jump and the next tick can undo the jump's drift: jump again
      if (now.mode === 'idle' && Math.abs(driftOf(now)) < 0.05) await jumpBy(page, 0.3 - driftOf(now))
      return false
    })
    const nudged = await sample(page)
    t.comment(`nudging at ${nudged.playbackRate}× with a drift of ${(driftOf(nudged) * 1000).toFixed(0)} ms`)

    // off, by keyboard: the focused switch takes the space (it does not play/pause the room)
    await toggle.focus()
    await page.keyboard.press(' ')
    await page.locator('.badge[data-state="sync-off"]', { hasText: 'Sync off' }).waitFor()
    t.notOk(await toggle.isChecked(), 'space on the focused switch turned it off; the badge says "Sync off"')
    t.notOk(await videoPaused(page), 'the video still plays')
    await page.getByText('Auto-sync is off on this page').waitFor()
    await shot(page, 'auto-sync-off')
    const seeks = await countSeeks(page)
    const off = await samplesOverPlayback(page, 3)
    t.same([...new Set(off.map((s) => s.playbackRate))], [1.5], 'the nudge was dropped: over 3 s of his video his element played at exactly the session rate')
    t.comment(`Ben’s drift every 250 ms with correction off: ${off.map((s) => (driftOf(s) * 1000).toFixed(0)).join(', ')} ms`)
    t.equal(await seeks(), 0, 'and his drift was left where it was: no corrective jump either')
    t.ok(off.every((s) => s.mode === 'off'), 'the engine follows without correcting')

    const profile = await newPage(ben.context)
    await profile.goto(`${web2.url}/profile`)
    t.ok(await profile.getByLabel('Keep my player in sync with the room').isChecked(), 'his profile preference is unchanged (still on)')
    await profile.close()

    // on again, by a click on a narrow screen
    await page.setViewportSize({ width: 375, height: 812 })
    await toggle.click()
    await page.locator('.badge[data-state="in-sync"], .badge[data-state="correcting"]').waitFor()
    t.ok(await toggle.isChecked(), 'clicked at 375 px wide: the switch is on, the badge is back to in sync / correcting')
    t.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'nothing sticks out of the narrow page')
    await shot(page, 'auto-sync-narrow')
    await waitUntil('Ben is back on the shared timeline', () => inSync(page, 0.03, true))
    await waitUntil('his badge says in sync', async () => (await page.locator('.badge').getAttribute('data-state')) === 'in-sync')
    // (idle, not an exact 1.5×: an idle element may be trimmed for its clock's own speed error)
    await waitUntil('his nudge has finished', async () => (await sample(page)).mode === 'idle')
    t.equal(await page.getByText('Auto-sync is off on this page').count(), 0, 'the hint is gone')
    t.pass(`correction brought him back (drift now ${(driftOf(await sample(page)) * 1000).toFixed(0)} ms)`)
    await page.setViewportSize({ width: 1280, height: 720 })
  })

  await t.test('a speed change the room refused does not stay in the menu', async (t) => {
    await ada.page.getByLabel('Control').selectOption('host')
    await cleo.page.locator('button.play:disabled').waitFor()
    await waitUntil('Ben’s copy of the mode change was dropped', () => droppedModeChange)
    t.ok(await ben.page.locator('button.play:enabled').count(), 'Ben’s page does not know yet: his controls are enabled')

    await ben.page.getByLabel('Speed').selectOption('2')
    await ben.page.getByRole('alert').filter({ hasText: 'Only the host controls playback in this session.' }).waitFor()
    await waitUntil('Ben’s menu falls back', async () => (await speedOf(ben.page)).menu !== '2')
    // Ben and Ada correct drift, so their elements may play a nudge or trim away from 1.5×: the
    // room's rate is what their pages hold as the shared state.
    t.equal((await speedOf(ben.page)).menu, '1.5', 'session-service said not_host: Ben’s menu is back at 1.5×')
    t.equal((await sample(ben.page)).sessionRate, 1.5, 'and his page still holds the room at 1.5×')
    t.equal((await sample(ada.page)).sessionRate, 1.5, 'the room still plays at 1.5× (Ada’s page)')
    t.equal((await speedOf(ada.page)).menu, '1.5', 'as her menu says')

    // Cleo's page knows the mode: the page itself refuses (her menu is disabled; a script or a
    // stale page could still pick a value) without asking the server.
    const menu = cleo.page.getByLabel('Speed')
    await menu.evaluate((select: HTMLSelectElement) => (select.disabled = false))
    await menu.selectOption('0.5')
    await cleo.page.getByRole('alert').filter({ hasText: 'Only the host controls playback' }).waitFor()
    await waitUntil('Cleo’s menu falls back', async () => (await speedOf(cleo.page)).menu !== '0.5')
    t.same(await speedOf(cleo.page), { menu: '1.5', element: 1.5 }, 'refused on the page: Cleo’s menu is back at 1.5× as well')
  })

  await t.test('the room is told who is buffering, and the host may pause for them', async (t) => {
    const { page } = ada
    othersBufferForAda = true
    const note = page.getByRole('status').filter({ hasText: 'are buffering' })
    await note.waitFor()
    t.equal(await note.locator('span').textContent(), 'Ben and Cleo are buffering…', 'above the viewer list, next to the player')
    t.notOk(await videoPaused(ben.page), 'nobody is paused by it')
    await note.getByRole('button', { name: 'Pause for everyone' }).click()
    await waitUntil('Ben’s player pauses', () => videoPaused(ben.page))
    t.pass('the host pressed "Pause for everyone": the room pauses')
    t.equal(await note.getByRole('button').count(), 0, 'paused: no more pause button')
    othersBufferForAda = false
    await note.waitFor({ state: 'detached' })
    t.pass('once nobody buffers, the note goes away')
    await page.getByRole('button', { name: 'Play', exact: true }).click()
    await waitUntil('Ben plays again', async () => !(await videoPaused(ben.page)))
  })

  await t.test('Leave goes back to the lobby; the others see one viewer fewer', async (t) => {
    await Promise.all([cleo.page.waitForURL(`${web1.url}/lobby`), cleo.page.getByRole('button', { name: 'Leave' }).click()])
    t.pass('Cleo pressed Leave: she is in the lobby')
    await waitUntil('Ada’s viewer list drops Cleo', async () => (await ada.page.locator('.viewer .name').allTextContents()).length === 2)
    t.same(await ada.page.locator('.viewer .name').allTextContents(), ['Ada (you)', 'Ben'])
    t.notOk(await ada.page.locator('.viewer .name', { hasText: 'Cleo' }).count(), 'Cleo is not listed')
    t.match(await ada.page.locator('.viewers').innerText(), /^Watching now \(2\)/, 'and not counted as away either: she left')
  })

  await t.test('only the host may end the session', async (t) => {
    t.equal(await ben.page.getByRole('button', { name: 'End session' }).count(), 0, 'Ben is offered no End button')
    // a hand-made post of the form action, with Ben's cookies
    const response = await ben.context.request.post(`${web2.url}${sessionPath}?/end`, {
      headers: { origin: web2.url, 'x-sveltekit-action': 'true' },
      form: {},
    })
    const body = (await response.json()) as { type: string; status: number }
    t.match(body, { type: 'failure', status: 403 }, 'posting ?/end as Ben is refused (403)')
    t.equal(await ada.page.locator('.player .ended').count(), 0, 'the session is still open')
  })

  await t.test('the host ends the session after confirming; everyone sees it ended', async (t) => {
    const { page } = ada
    await page.getByRole('button', { name: 'End session' }).click()
    await page.getByText('End the session for everyone?').waitFor()
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'End session' }).waitFor()
    t.notOk(await videoPaused(page), 'Cancel changed nothing: still playing')
    // by keyboard: the pressed button goes away at each step, and focus must not fall to the page
    // (where space plays or pauses the room)
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim())
    t.equal(await focused(), 'End session', 'after Cancel, focus is back on End session')
    await page.keyboard.press('Enter')
    await page.getByText('End the session for everyone?').waitFor()
    t.equal(await focused(), 'Cancel', 'the question opens with focus on its harmless answer')
    await page.keyboard.press(' ')
    await page.getByRole('button', { name: 'End session' }).waitFor()
    t.equal(await focused(), 'End session', 'space on Cancel closes the question')
    t.notOk(await videoPaused(page), 'and does not pause the room')

    await page.getByRole('button', { name: 'End session' }).click()
    await shot(page, 'end-confirm')
    await page.getByRole('button', { name: 'End for everyone' }).click()
    for (const viewer of [ada, ben]) {
      const p = viewer.page
      await p.getByText('This session has ended.').waitFor()
      await p.locator('.badge[data-state="ended"]', { hasText: 'Session ended' }).waitFor()
      await waitUntil(`${viewer.name}’s player stops`, () => videoPaused(p))
      t.ok(await p.locator('button.play:disabled').count(), `${viewer.name}: play is disabled`)
      t.ok(await p.getByLabel('Speed').isDisabled(), `${viewer.name}: the speed menu is disabled`)
      t.ok(await p.getByLabel('Chat message').isDisabled(), `${viewer.name}: chat is closed`)
      t.equal(await p.getByRole('button', { name: 'Leave' }).count(), 0, `${viewer.name}: no Leave any more`)
      t.equal(await p.getByRole('button', { name: 'End session' }).count(), 0, `${viewer.name}: no End`)
      await p.getByRole('link', { name: 'Back to the lobby' }).waitFor()
    }
    t.pass('on both replicas: the message, everything disabled, a way back to the lobby')
    await shot(ben.page, 'ended')

    await ben.page.locator('h1').click()
    await ben.page.keyboard.press(' ')
    await ben.page.getByRole('alert').filter({ hasText: 'This session has ended.' }).waitFor()
    t.pass('a key press says the session has ended')

    await Promise.all([page.waitForURL(`${web1.url}/lobby`), page.getByRole('link', { name: 'Back to the lobby' }).click()])
    t.equal(await page.locator('.sessions li', { hasText: 'Last show' }).count(), 0, 'the lobby no longer lists it')
  })
})
