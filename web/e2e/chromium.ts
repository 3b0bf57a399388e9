import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's chromium, headless; no browser download needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // the players start without a click, as after a user gesture on a real page
  '--autoplay-policy=no-user-gesture-required',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/**
 * tsx (esbuild with keepNames) wraps functions in a `__name(fn, "name")` helper; functions
 * passed to page.evaluate carry it into the page, which must therefore define it.
 */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn)'

/**
 * Playwright's 30 s default is not enough for a watch page on a busy 2-core machine: its load
 * event waits for the video's first frame, and the services share the cores with chromium.
 */
const ACTION_TIMEOUT_MS = 60_000

export async function newPage(browser: Browser | BrowserContext): Promise<Page> {
  const page = await browser.newPage()
  page.setDefaultTimeout(ACTION_TIMEOUT_MS)
  await page.addInitScript({ content: KEEP_NAMES_SHIM })
  return page
}

/**
 * Records every Content-Security-Policy violation in the context's pages (on every document they
 * load) as "directive blocked-uri source:line"; the returned array fills as they happen.
 */
export async function collectCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = []
  await context.exposeBinding('tandemCspViolation', (_source, text: string) => {
    violations.push(text)
  })
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      window.tandemCspViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber))`,
  })
  return violations
}
