import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Page } from 'playwright-core'
import { inSync, joinSession, signUp, startSession, startWatchStage, waitUntil } from './watch-support.ts'

const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))
const docsScreenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** The titles in `page`'s queue, in order. */
const queueOf = (page: Page): Promise<string[]> => page.locator('.queue .item .label').allTextContents()
const nowPlayingOf = (page: Page): Promise<string> => page.locator('.queue .now .label').innerText()
const videoSrc = (page: Page): Promise<string> => page.locator('.player video').evaluate((v: HTMLVideoElement) => v.currentSrc)

/**
 * The shared queue in Debian's chromium against the whole of Tandem: Ada (host) and Cleo watch
 * through session-service replica 1, Ben through replica 2. Bad links and pastes are refused in
 * the page with a reason; what the host queues, re-orders (keyboard, drag and drop), plays now
 * or skips to is the same on every page and every player switches together; the end of an item
 * moves everyone on once; in host-only mode a member cannot edit the queue.
 */
t.test('a queue for the evening, shared by three viewers over two replicas', { timeout: 420_000 }, async (t) => {
  const { web1, web2, browser } = await startWatchStage(t)
  mkdirSync(artifacts, { recursive: true })
  const base = web1.url
  const media = (part: number) => `${base}/media/sample.webm?part=${part}`

  const [ada, ben, cleo] = await Promise.all([signUp(browser, base, 'Ada'), signUp(browser, web2.url, 'Ben'), signUp(browser, base, 'Cleo')])
  const viewers = [ada, ben, cleo]
  const sessionPath = await startSession(ada.page, 'Double feature', `${base}/media/sample.webm`)
  await joinSession(ben.page, `${web2.url}${sessionPath}`)
  await joinSession(cleo.page, `${base}${sessionPath}`)
  for (const { page } of viewers) {
    await page.locator('.viewer').nth(2).waitFor()
    await page.locator('.badge[data-state="in-sync"]').waitFor()
  }
  const host = ada.page
  const form = host.getByRole('form', { name: 'Add a video' })

  await t.test('bad links and pastes are refused in the page, with the reason, and nothing is sent', async (t) => {
    await host.getByLabel('Video URL').fill('javascript:alert(1)')
    await form.getByRole('button', { name: 'Add to queue' }).click()
    t.equal(await form.getByRole('alert').innerText(), 'Only http(s) links can be played.')

    await host.getByLabel('Video URL').fill(`${base}/media/missing.webm`)
    await form.getByRole('button', { name: 'Add to queue' }).click()
    await form.getByRole('alert').getByText(/^This link did not load as video: /).waitFor()
    t.pass(`a link that is no video: "${await form.getByRole('alert').innerText()}"`)

    await host.getByLabel('Video URL').fill(media(2))
    await host.getByLabel(/^Subtitles URL/).fill(`${base}/media/sample.webm`)
    await form.getByRole('button', { name: 'Add to queue' }).click()
    await form.getByRole('alert').getByText('This subtitle file is not WebVTT.').waitFor()
    await host.getByLabel(/^Subtitles URL/).fill('')
    t.pass('subtitles that are not WebVTT are refused')

    await host.getByText('Paste a playlist').click()
    const paste = host.getByLabel('Paste links, one per line')
    await paste.fill(Array.from({ length: 101 }, (_, i) => media(i)).join('\n'))
    await host.getByRole('button', { name: 'Add all' }).click()
    t.equal(await host.locator('#queue-paste-error').innerText(), 'The queue has room for 100 more videos (at most 100); this paste has 101. Nothing was added.')
    await paste.fill(`${media(1)}\nfile:///etc/passwd\n`)
    await host.getByRole('button', { name: 'Add all' }).click()
    t.match(await host.locator('#queue-paste-error').innerText(), /One line is not a playable link[\s\S]*Line 2: Only http\(s\) links can be played\./)
    t.same(await queueOf(ben.page), [], 'nothing was queued')
  })

  await t.test('the host queues two videos and re-orders them by keyboard and by drag: the same order everywhere', async (t) => {
    for (const [part, title] of [[2, 'Part two'], [3, 'Part three']] as const) {
      await host.getByLabel('Video URL').fill(media(part))
      await host.getByRole('textbox', { name: /^Title/ }).fill(title)
      await form.getByRole('button', { name: 'Add to queue' }).click()
      await form.getByText('Added to the queue.').waitFor()
    }
    for (const { page } of viewers) await waitUntil('two queued', async () => (await queueOf(page)).length === 2)
    t.same(await queueOf(cleo.page), ['Part two', 'Part three'])
    await host.locator('.queue .item', { hasText: 'Part three' }).press('Alt+ArrowUp')
    for (const { page } of viewers) await waitUntil('Part three first', async () => (await queueOf(page))[0] === 'Part three')
    t.same(await Promise.all(viewers.map(({ page }) => queueOf(page))), Array(3).fill(['Part three', 'Part two']), 'every page shows the new order')
    t.equal(await host.evaluate(() => document.activeElement?.getAttribute('data-item-id') ?? null), await host.locator('.queue .item', { hasText: 'Part three' }).getAttribute('data-item-id'), 'the moved item keeps the focus')

    const grip = (title: string) => host.locator('.queue .item', { hasText: title }).locator('.what')
    await grip('Part two').dragTo(grip('Part three'))
    for (const { page } of viewers) await waitUntil('Part two first again', async () => (await queueOf(page))[0] === 'Part two')
    t.same(await queueOf(ben.page), ['Part two', 'Part three'], 'dragged to the top')
  })

  await t.test('"Play now" switches all three players to the item, in sync', async (t) => {
    await host.getByRole('button', { name: 'Play', exact: true }).click()
    for (const { page } of viewers) await waitUntil('playing', () => inSync(page, 0.5, true))
    await host.getByRole('button', { name: 'Play now: Part three' }).click()
    for (const { page } of viewers) {
      await waitUntil('Part three plays', async () => (await nowPlayingOf(page)) === 'Part three' && (await videoSrc(page)).endsWith('part=3'))
      await waitUntil('in sync on Part three', () => inSync(page, 0.5, true))
    }
    t.same(await queueOf(ben.page), ['Part two'], 'it left the queue')
    await cleo.page.locator('.video-change', { hasText: 'Now playing Part three' }).waitFor()
    t.pass('every player plays Part three from the start, in sync; the chat says what plays now')
  })

  await t.test('a pasted playlist is added; "Play next" puts it first; "Next" plays it everywhere', async (t) => {
    await host.getByLabel('Paste links, one per line').fill(`# the finale\n${media(4)} Part four\n`)
    await host.getByRole('button', { name: 'Add all' }).click()
    await host.getByText('Added 1 video.').waitFor()
    await host.getByRole('button', { name: 'Play next: Part four' }).click()
    for (const { page } of viewers) await waitUntil('Part four next', async () => (await queueOf(page)).join() === 'Part four,Part two')
    t.pass('every page shows Part four next')
    await host.locator('.queue').screenshot({ path: join(artifacts, 'queue.png') })

    await host.getByRole('button', { name: 'Next', exact: true }).click()
    for (const { page } of viewers) {
      await waitUntil('Part four plays', async () => (await nowPlayingOf(page)) === 'Part four' && (await videoSrc(page)).endsWith('part=4'))
      await waitUntil('in sync on Part four', () => inSync(page, 0.5, true))
    }
    t.pass('"Next" switched everyone to Part four')
  })

  await t.test('the end of an item moves everyone on to the next, once', async (t) => {
    await host.getByRole('slider', { name: 'Shared timeline' }).press('End')
    for (const { page } of viewers) {
      await waitUntil('Part two plays after the end', async () => (await nowPlayingOf(page)) === 'Part two' && (await videoSrc(page)).endsWith('part=2'), 60_000)
      await waitUntil('in sync on Part two', () => inSync(page, 0.5, true))
    }
    t.pass('Part four ended 1 s after the jump to its end; all three play Part two')
    // Each page reports the end; a page that says something after seeing Part two has sent its report before.
    for (const viewer of viewers) {
      await viewer.page.getByLabel('Chat message').fill(`${viewer.name} is on to part two`)
      await viewer.page.getByLabel('Chat message').press('Enter')
    }
    for (const viewer of viewers) await host.locator('.message .text', { hasText: `${viewer.name} is on to part two` }).waitFor()
    await host.reload()
    await host.locator('.message .text', { hasText: 'Cleo is on to part two' }).waitFor()
    const ended = await host.locator('.video-change[data-reason="ended"]').allInnerTexts()
    t.equal(ended.length, 1, `one "ended" change in the history: ${JSON.stringify(ended)}`)
    t.match(ended[0], /Now playing Part two/)
  })

  await t.test('in host-only mode a member cannot edit the queue', async (t) => {
    await host.getByRole('combobox', { name: /^Control/ }).selectOption('host')
    await ben.page.getByText('Only the host and co-hosts change the queue in this session.').waitFor()
    t.ok(await ben.page.getByRole('button', { name: 'Add to queue' }).isDisabled(), 'adding is disabled')
    t.ok(await ben.page.getByRole('button', { name: 'Next', exact: true }).isDisabled(), 'skipping is disabled')
    t.equal(await ben.page.locator('.queue .item[draggable="true"]').count(), 0, 'nothing can be dragged')
    t.ok(await host.getByRole('button', { name: 'Add to queue' }).isEnabled(), 'the host still can')
  })

  t.same(viewers.flatMap((v) => v.cspViolations), [], 'the Content-Security-Policy blocked nothing')
  // docs/screenshots/queue.png; refresh it with TANDEM_UPDATE_SCREENSHOTS=1.
  if (process.env.TANDEM_UPDATE_SCREENSHOTS === '1') {
    copyFileSync(join(artifacts, 'queue.png'), join(docsScreenshots, 'queue.png'))
    t.comment(`copied queue.png to ${docsScreenshots}`)
  }
})
