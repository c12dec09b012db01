/** Debian's Chromium driven by playwright-core, one fresh profile per test file. */
import fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './server.js';

export const CHROMIUM = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** alert/confirm/prompt dialogs that fired (the workbench never uses them; an XSS would). */
  dialogs: string[];
  /** Screens already checked with axe-core after a test (support/a11y-setup.ts). */
  a11yChecked: Set<string>;
  close: () => Promise<void>;
}

/** Browsers launched and not yet closed: the accessibility check after each test looks at their pages. */
export const liveBrowsers = new Set<Browser>();

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set PULSE_CHROMIUM).`);
  const profile = tempDir('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    // Failed requests are reported below with their URL instead.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${new URL(r.url()).pathname}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  const browser: Browser = {
    context,
    page,
    problems,
    dialogs,
    a11yChecked: new Set(),
    close: async () => {
      liveBrowsers.delete(browser);
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  liveBrowsers.add(browser);
  return browser;
}

/** Opens the workbench with its token and waits for the shell to render. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.workbench .activitybar').waitFor();
  await page.locator('[data-testid="status-workspace"]').filter({ hasNotText: '…' }).waitFor();
}

/**
 * A host call as the page makes it: the session cookie and the page's Origin (the server refuses a cookie
 * call without it, as browsers always send it on POST). Playwright's request context sends no Origin itself.
 */
export async function hostCall<T>(page: Page, origin: string, method: string, input: unknown = {}): Promise<T> {
  const url = new URL(`api/call/${method}`, origin);
  const r = await page.request.post(url.href, { data: input, headers: { origin: url.origin } });
  const body = (await r.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.result;
}

/** Waits until a host job ends; throws unless it succeeded (with its error), or when it outlives `timeout`. */
export async function waitJob(page: Page, origin: string, id: number, timeout = 120_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const j = await hostCall<{ state: string; error: unknown }>(page, origin, 'jobs.get', { id });
    if (j.state === 'succeeded') return;
    if (!['queued', 'running'].includes(j.state)) throw new Error(`job ${id} ${j.state}: ${JSON.stringify(j.error)}`);
    if (Date.now() > end) throw new Error(`job ${id} still ${j.state}`);
    await page.waitForTimeout(250);
  }
}
