import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostCall, waitJob, type Browser } from './support/browser.js';
import type { RunningServer } from './support/server.js';
import { openModelWorkbench } from './support/model-workbench.js';

/** A host call from the page (same cookie and Origin as the UI). */
const call = hostCall;

describe('reasoning', () => {
  let server: RunningServer;
  let browser: Browser;
  let modelFile: string;

  beforeAll(async () => {
    ({ server, browser, modelFile } = await openModelWorkbench({ name: 'Probe', users: 30, items: 25 }));
    const { page } = browser;
    // Rationales (extractive drafts, no model) and a TF-IDF Thought Space give the questions their nearest rationales.
    await waitJob(page, server.origin, (await call<{ jobId: number }>(page, server.origin, 'rationales.draft', { dataset: 'Probe' })).jobId);
    await waitJob(
      page,
      server.origin,
      (await call<{ jobId: number }>(page, server.origin, 'space.train', { dataset: 'Probe', encoder: 'tfidf', name: 'S1', epochs: 3 })).jobId,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('ask: the answer streams in, with the history and nearest rationales beside it', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+A');
    const ask = page.locator('[data-testid="reasoning-ask"]');
    await ask.waitFor();
    await ask.getByLabel('Dataset').selectOption('Probe');
    await ask.getByLabel('Model', { exact: true }).fill(modelFile);
    await ask.getByLabel('Space', { exact: true }).fill('S1');
    await ask.getByLabel('Max tokens').fill('12');
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    const result = ask.locator('[data-testid="ask-result"]');
    await result.locator('[data-testid="source-history"] li').first().waitFor({ timeout: 60_000 });
    await result.locator('[data-testid="source-rationales"] li').first().waitFor();
    await expect(result.locator('[data-testid="source-history"]').textContent()).resolves.toContain('Item number');
    await ask.locator('[data-testid="ask-result"][data-state="succeeded"]').waitFor({ timeout: 120_000 });
    await expect(result.locator('[data-testid="ask-answer"]').textContent()).resolves.not.toBe('');
    expect(browser.problems).toEqual([]);
  });

  test('compare: two settings answer side by side', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Compare Two Settings');
    await page.keyboard.press('Enter');
    const cmp = page.locator('[data-testid="reasoning-compare"]');
    await cmp.waitFor();
    await cmp.getByLabel('Dataset').selectOption('Probe');
    await cmp.getByLabel('Model A').fill(modelFile);
    await cmp.getByLabel('Model B').fill(modelFile);
    await cmp.getByLabel('Space A').fill('S1');
    await expect(cmp.getByLabel('With rationales B').isChecked()).resolves.toBe(false);
    await cmp.getByLabel('Max tokens').fill('8');
    await cmp
      .getByRole('button', { name: 'Ask Both' })
      .click({ timeout: 10_000 })
      .catch(async (e) => {
        await page.screenshot({ path: '/tmp/pulse-compare-fail.png' });
        throw e;
      });
    const results = cmp.locator('[data-testid="ask-result"]');
    await expect(results.count()).resolves.toBe(2);
    await cmp.locator('[data-testid="ask-result"][data-state="succeeded"]').nth(1).waitFor({ timeout: 180_000 });
    await expect(results.nth(0).locator('h3').first().textContent()).resolves.toContain('with 3 rationales');
    await expect(results.nth(1).locator('h3').first().textContent()).resolves.toContain('history only');
    await expect(results.nth(1).locator('[data-testid="source-rationales"]').textContent()).resolves.toContain('None');
    expect(browser.problems).toEqual([]);
  });

  test('the tree view shows a refinement with its winner', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Open Refinement Tree');
    await page.keyboard.press('Enter');
    const tree = page.locator('[data-testid="reasoning-tree"]');
    await tree.waitFor();
    await tree.getByLabel('Dataset').selectOption('Probe');
    // Before any refinement refine.tree answers null: the view says so.
    await tree.locator('[data-testid="no-tree"]').waitFor();
    await tree.locator('summary', { hasText: 'Run a refinement' }).click();
    await tree.getByLabel('Model', { exact: true }).fill(modelFile);
    await tree.getByLabel('Space', { exact: true }).fill('S1');
    await tree.getByLabel('Depth').fill('1');
    await tree.getByLabel('Branching').fill('2');
    await tree.getByLabel('Beam').fill('1');
    await tree.getByRole('button', { name: 'Refine' }).click();
    const view = tree.locator('[data-testid="tree-view"]');
    await view.waitFor({ timeout: 280_000 });
    await view.locator('[data-winner]').first().waitFor();
    await view.getByRole('button', { name: 'Open Winner' }).click();
    // The review view's editor (rationale detail where the review feature is absent).
    await page.getByRole('tab', { name: /Review #\d+|Rationale #\d+/ }).waitFor();
    expect(browser.problems).toEqual([]);
  }, 300_000);

  test('question answering: the demo QA file loads', async () => {
    const { page } = browser;
    // The review editor (opened by the previous test) takes single-key shortcuts: close it first.
    await page.keyboard.press('Alt+W');
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-box').waitFor();
    await page.keyboard.type('Question Answering');
    await page.keyboard.press('Enter');
    const qa = page.locator('[data-testid="reasoning-qa"]');
    await qa.waitFor();
    await qa.getByRole('button', { name: 'Load' }).click();
    await qa.locator('[data-testid="qa-loaded"] tbody tr').first().waitFor({ timeout: 30_000 });
    expect(browser.problems).toEqual([]);
  });
});
