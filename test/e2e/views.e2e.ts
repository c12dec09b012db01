/**
 * Every view of the workbench through axe-core, dark and light: the activity bar's views (read from the page, so a
 * new view is covered without editing this file), the editors the command palette opens, the dataset and job
 * editors, the palette and a dialog, on the built-in demo workspace (datasets, rationales, runs, a Thought Space).
 * No serious or critical violation. Every other e2e test is also checked after it ends (support/a11y-setup.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './support/a11y.js';
import { hostCall, launch, openWorkbench, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

/** Palette commands that only open an editor (no side effect), by title. */
const EDITOR_COMMANDS = [
  'Import Dataset…',
  'Start Reviewing Rationales',
  'Open All Rationales (Bulk View)',
  'New Training Run…',
  'Show Runs and Curves',
  'Open Thought-Space Map',
  'Ask About a User…',
  'Compare Two Settings Side by Side',
  'Question Answering (HotpotQA)…',
  'Open Refinement Tree',
  'Download Model…',
  'Configure Endpoint…',
  'Generate Rationales…',
  'Open Prompt Playground',
];

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command Palette' });
  await palette.waitFor();
  await page.keyboard.type(title);
  await palette.getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
}

/** Lets a view settle: its data calls answered (no request in flight for a moment) and one more frame. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
}

describe('every view passes axe-core in the dark and light theme', () => {
  let server: RunningServer;
  let browser: Browser;
  const found: string[] = [];
  const checked: string[] = [];

  async function check(label: string): Promise<void> {
    await settle(browser.page);
    checked.push(label);
    const v = await axeViolations(browser.page, label);
    for (const x of v) console.log(x);
    found.push(...v);
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    await openWorkbench(browser.page, server.url);
    // The demo job fills the new workspace: a dataset with rationales, reviews, a run and a Thought Space.
    for (const until = Date.now() + 110_000; ;) {
      const { jobs } = await hostCall<{ jobs: { kind: string; state: string }[] }>(browser.page, server.origin, 'jobs.list');
      const demo = jobs.find((j) => j.kind === 'demo.build')?.state;
      if (demo === 'succeeded') break;
      if ((demo && demo !== 'running' && demo !== 'queued') || Date.now() > until)
        throw new Error(`The demo job did not succeed (${demo}).\n${server.stderr()}`);
      await browser.page.waitForTimeout(500);
    }
    await browser.page.reload();
    await openWorkbench(browser.page, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the views of the activity bar', async () => {
    const { page } = browser;
    found.length = 0;
    const views = await page.locator('.activity-item[data-view]').evaluateAll((els) => els.map((e) => e.getAttribute('data-view')!));
    expect(views.length).toBeGreaterThanOrEqual(6);
    for (const view of views) {
      // Clicking the view that is showing would hide the side bar.
      const item = page.locator(`.activity-item[data-view="${view}"]`);
      if ((await item.getAttribute('aria-pressed')) !== 'true') await item.click();
      await expect.poll(() => page.locator(`.activity-item[data-view="${view}"]`).getAttribute('aria-pressed')).toBe('true');
      await check(`view ${view}`);
    }
    expect(found).toEqual([]);
  });

  test('the dataset editor: overview, and a user history with its split badges', async () => {
    const { page } = browser;
    found.length = 0;
    await page.locator('.activity-item[data-view="datasets"]').click();
    await page.locator('.dataset-item').first().click();
    await page.locator('.dataset-editor').waitFor();
    await check('editor dataset (overview)');
    await page.locator('.dataset-editor').getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
    await page.locator('[data-testid="user-history"]').waitFor();
    await check('editor dataset (users, a history with its split badges)');
    expect(found).toEqual([]);
  });

  // Each editor is checked in both themes; on a loaded 2-core machine the whole list took over two minutes.
  test('the editors the command palette opens', { timeout: 300_000 }, async () => {
    const { page } = browser;
    found.length = 0;
    const before = checked.length;
    // The rationales view picks the dataset the review commands open.
    await page.locator('.activity-item[data-view="rationales"]').click();
    for (const title of EDITOR_COMMANDS) {
      await runCommand(page, title);
      await page.locator('.tab.active').waitFor();
      await check(`command "${title}" -> ${await page.locator('.tab.active').getAttribute('data-editor-kind')}`);
    }
    expect(checked.length - before).toBe(EDITOR_COMMANDS.length);
    expect(found).toEqual([]);
  });

  test('a job editor, the command palette and a dialog', async () => {
    const { page } = browser;
    found.length = 0;
    await page.keyboard.press('Control+Alt+J');
    await page.locator('.panel .job-row, .panel [data-job-id]').first().dblclick();
    await expect.poll(() => page.locator('.tab.active').getAttribute('data-editor-kind')).toBe('job');
    await check('editor job');
    await page.keyboard.press('Control+Shift+P');
    await page.getByRole('dialog', { name: 'Command Palette' }).waitFor();
    await check('command palette');
    await page.keyboard.press('Escape');
    await runCommand(page, 'Back Up Workspace…');
    await page.getByRole('dialog', { name: 'Back up workspace' }).waitFor();
    await check('dialog back up workspace');
    await page.keyboard.press('Escape');
    expect(found).toEqual([]);
  });
});
