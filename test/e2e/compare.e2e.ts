import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations } from './support/a11y.js';
import { hostCall, launch, openWorkbench, waitJob, type Browser } from './support/browser.js';
import { writeS3Rec } from './support/fixtures.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

const call = hostCall;

async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
}

const NUMBER = /\d\.\d{4}/;
const TINY = { epochs: 3, evalEvery: 1, hidden: 16, heads: 2, inner: 32, batch: 16, metricEvery: 2, testProtocols: ['full'], seed: 1 };

describe('comparing runs in the Training view', () => {
  let server: RunningServer;
  let browser: Browser;
  let sasrec: number;
  let pulse: number;

  beforeAll(async () => {
    server = await startServer({ env: { PULSE_NO_DEMO: '1' } });
    browser = await launch();
    const { page } = browser;
    await openWorkbench(page, server.url);
    // The review editor (where a used rationale opens) needs an annotator name.
    await call(page, server.origin, 'settings.update', { annotator: 'e2e' });
    const fx = writeS3Rec(path.join(tempDir('data'), 'cmp'), { stem: 'Cmp', users: 60, items: 40 });
    await waitJob(
      page,
      server.origin,
      (await call<{ jobId: number }>(page, server.origin, 'datasets.import', { paths: [fx.sequences, fx.itemText], name: 'Cmp' })).jobId,
    );
    // A rationale for every training position, so PULSE aligns each one and the user view has some to show.
    await waitJob(page, server.origin, (await call<{ jobId: number }>(page, server.origin, 'rationales.draft', { dataset: 'Cmp', positions: 'all' })).jobId);
    const a = await call<{ jobId: number; runId: number }>(page, server.origin, 'train.start', { ...TINY, dataset: 'Cmp', arch: 'sasrec', name: 'base' });
    await waitJob(page, server.origin, a.jobId);
    const b = await call<{ jobId: number; runId: number }>(page, server.origin, 'train.start', { ...TINY, dataset: 'Cmp', arch: 'pulse', name: 'why' });
    await waitJob(page, server.origin, b.jobId);
    [sasrec, pulse] = [a.runId, b.runId];
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('two runs side by side: SASRec the baseline, gains, p-values and segments as numbers', async () => {
    const { page } = browser;
    await palette(page, 'Show Runs and Curves');
    const runs = page.locator('[data-testid="training-runs"]');
    for (const id of [sasrec, pulse]) {
      const box = runs.locator(`tr[data-run="${id}"] input[type="checkbox"]`);
      if (!(await box.isChecked())) await box.check();
    }
    await runs.getByRole('button', { name: 'Compare…' }).click();
    const view = page.locator('[data-testid="training-compare"]');
    await view.waitFor();
    // The selection splits by architecture: SASRec on side A (the baseline), PULSE on B.
    await expect(view.locator('[data-testid="side-a"] .chip').getAttribute('data-run')).resolves.toBe(String(sasrec));
    await expect(view.locator('[data-testid="side-b"] .chip').getAttribute('data-run')).resolves.toBe(String(pulse));
    const table = view.locator('[data-testid="compare-table"]');
    await table.waitFor({ timeout: 20_000 });
    const users = table.locator('tr[data-row="users"]');
    await expect(users.locator('[data-cell="a"]').textContent()).resolves.toMatch(NUMBER);
    await expect(users.locator('[data-cell="b"]').textContent()).resolves.toMatch(NUMBER);
    await expect(users.locator('[data-cell="gain"]').textContent()).resolves.toMatch(/^([+−]\d+(\.\d)?%|—)$/);
    await expect(users.locator('[data-cell="p"]').textContent()).resolves.toMatch(/^(\d|< 0\.0001)/);
    // One run a side: no test over seeds, said so.
    await expect(table.locator('tr[data-row="seeds"] [data-cell="p"]').textContent()).resolves.toBe('—');
    const segments = table.locator('tr[data-row="segment"]');
    await expect(segments.count()).resolves.toBe(2);
    await expect(segments.first().locator('th').textContent()).resolves.toMatch(/cold users/);
    for (const i of [0, 1]) {
      await expect(segments.nth(i).locator('[data-cell="a"]').textContent()).resolves.toMatch(NUMBER);
      await expect(segments.nth(i).locator('[data-cell="b"]').textContent()).resolves.toMatch(NUMBER);
    }
    await expect(view.locator('[data-testid="seeds-table"] tbody tr').count()).resolves.toBe(1);
    // Curves of both sides overlaid.
    await view.locator('[data-testid="valid-chart"] .plot .scatterlayer .trace').nth(1).waitFor({ timeout: 20_000 });
    await expect(axeViolations(page, 'compare view')).resolves.toEqual([]);
    // Swapping makes PULSE the baseline.
    await view.getByRole('button', { name: 'Swap A and B' }).click();
    await expect(view.locator('[data-testid="side-a"] .chip').getAttribute('data-run')).resolves.toBe(String(pulse));
    await view.getByRole('button', { name: 'Swap A and B' }).click();
    expect(browser.problems).toEqual([]);
  });

  test("a user's top-10 from both runs, the rationales used, and a fine-tune joins the lists", async () => {
    const { page } = browser;
    const view = page.locator('[data-testid="training-compare"]');
    await view.getByRole('button', { name: 'Open a User Side by Side…' }).click();
    const uv = page.locator('[data-testid="training-user"]');
    await uv.waitFor();
    const lists = uv.locator('[data-testid="top-list"]');
    await expect.poll(() => lists.count(), { timeout: 20_000 }).toBe(2);
    await expect(lists.nth(0).getAttribute('data-run')).resolves.toBe(String(sasrec));
    await expect(lists.nth(1).getAttribute('data-run')).resolves.toBe(String(pulse));
    for (const i of [0, 1]) {
      const items = lists.nth(i).locator('.top-items li');
      await expect(items.count()).resolves.toBe(10);
      await expect(items.first().locator('.item-title').textContent()).resolves.toMatch(/^Item number \d+$/);
      await expect(lists.nth(i).locator('[data-testid="test-rank"]').textContent()).resolves.toMatch(/^\d+$/);
    }
    // A test item in a top-10 is marked, and its rank matches its place.
    for (const i of [0, 1]) {
      const rank = Number(await lists.nth(i).getAttribute('data-test-rank'));
      if (rank <= 10)
        await expect(
          lists
            .nth(i)
            .locator('.top-items li')
            .nth(rank - 1)
            .getAttribute('class'),
        ).resolves.toContain('is-test');
      else await expect(lists.nth(i).locator('.top-items li.is-test').count()).resolves.toBe(0);
    }
    await expect(uv.locator('[data-testid="user-history-card"] li[data-split="test"]').count()).resolves.toBe(1);
    // The PULSE run aligned to rationales of this user (drafted for every position); SASRec to none.
    const used = uv.locator(`[data-testid="used-rationales"] .used-rationales[data-run="${pulse}"] .rationale-entry`);
    await expect.poll(() => used.count()).toBeGreaterThan(0);
    await expect(uv.locator(`[data-testid="used-rationales"] .used-rationales[data-run="${sasrec}"]`).count()).resolves.toBe(0);
    await expect(axeViolations(page, 'user view')).resolves.toEqual([]);

    // Where the two runs differ most (over every evaluated user): one click shows that user.
    await uv.getByRole('button', { name: 'Find Users Where They Differ' }).click();
    const found = uv.getByRole('list', { name: 'Users where the runs differ most' }).getByRole('button');
    await found.first().waitFor({ timeout: 30_000 });
    const before = await uv.locator('h1').textContent();
    const target = (await found.first().textContent())!.trim().split(/\s/)[0]!;
    await found.first().click();
    await expect.poll(() => uv.locator('h1').textContent(), { timeout: 10_000 }).toBe(`User ${target}`);
    expect(before).toMatch(/^User /);

    // Edit the why: the rationale opens in the review editor.
    await used
      .first()
      .getByRole('button', { name: /^Edit in Review/ })
      .click();
    await page.locator('[data-testid="review-editor"]').waitFor({ timeout: 15_000 });
    await page.locator('.tab', { hasText: 'User Side by Side' }).click();

    // See the what: a short fine-tune from the PULSE run appears next to it.
    await uv.getByRole('button', { name: `Fine-tune from this run… (why #${pulse})` }).click();
    const ft = uv.locator('[data-testid="fine-tune"]');
    await ft.getByLabel('Fine-tune epochs').fill('1');
    await ft.getByRole('button', { name: 'Start Fine-Tune' }).click();
    await expect.poll(() => lists.count(), { timeout: 30_000 }).toBe(3);
    await expect(lists.nth(2).locator('.side-tag').textContent()).resolves.toBe(`fine-tuned from #${pulse}`);
    await expect(lists.nth(2).locator('.top-items li').count()).resolves.toBe(10);
    expect(browser.problems).toEqual([]);
  });

  test('a sweep from the form: the count before it starts, one job with progress and cancel, its runs one group', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+S');
    const form = page.locator('[data-testid="training-new"]');
    await form.waitFor();
    await form.getByLabel('Dataset').selectOption('Cmp');
    await form.getByLabel('arch', { exact: true }).selectOption('sasrec');
    // Long enough to watch its progress and cancel it.
    await form.getByLabel('epochs', { exact: true }).fill('5000');
    await form.getByLabel('patience', { exact: true }).fill('10000');
    await form.getByRole('button', { name: 'More settings' }).click();
    for (const [k, v] of [
      ['hidden', '16'],
      ['heads', '2'],
      ['inner', '32'],
      ['batch', '16'],
      ['testProtocols', 'full'],
    ])
      await form.getByLabel(k, { exact: true }).fill(v);
    const sweep = form.locator('[data-testid="sweep"]');
    // The first rows suggest auxWeight x seed; a SASRec sweep varies dropout and seed instead.
    await sweep.getByLabel('Setting to vary 1').selectOption('dropout');
    await sweep.getByLabel('Values of dropout').fill('0.1, 0.3');
    await sweep.getByLabel('Values of seed').fill('1, 2, x');
    await expect(sweep.locator('.field-error').first().textContent()).resolves.toContain('seed: "x" is not a number');
    await expect(sweep.getByRole('button', { name: /Start Sweep/ }).isDisabled()).resolves.toBe(true);
    await sweep.getByLabel('Values of seed').fill('1, 2');
    await expect(sweep.locator('[data-testid="sweep-count"]').textContent()).resolves.toBe('4 runs');
    await expect(axeViolations(page, 'sweep form')).resolves.toEqual([]);
    await sweep.getByLabel('Sweep name').fill('tiny sweep');
    await sweep.getByRole('button', { name: 'Start Sweep (4 runs)' }).click();

    const runs = page.locator('[data-testid="training-runs"]');
    await runs.waitFor();
    // One status line for the sweep's job (not one per run), its progress counted in runs.
    const status = runs.locator('[data-testid="job-status"][data-state="running"]');
    await expect.poll(() => status.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status.locator('[data-testid="job-progress-text"]').textContent(), { timeout: 15_000 }).toMatch(/run \d+ \(1 of 4\).*runs/);
    const group = runs.locator('tr.group-row[data-group="tiny sweep"]');
    await group.waitFor();
    await expect(runs.locator('tr.in-group').count()).resolves.toBe(4);
    await status.getByRole('button', { name: 'Cancel' }).click();
    // Cancelling the job stops the run training and the runs still waiting.
    await expect.poll(() => runs.locator('tr.in-group[data-state="cancelled"]').count(), { timeout: 30_000 }).toBe(4);
    // The group's header selects all its runs at once.
    const all = group.getByRole('checkbox', { name: 'Select all runs of group tiny sweep' });
    await expect.poll(() => all.isChecked()).toBe(true);
    await all.uncheck();
    await expect(runs.locator('tr.in-group input[type="checkbox"]:checked').count()).resolves.toBe(0);
    await all.check();
    await expect(runs.locator('tr.in-group input[type="checkbox"]:checked').count()).resolves.toBe(4);
    expect(browser.problems).toEqual([]);
  });
});
