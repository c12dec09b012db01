import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, openWorkbench, type Browser } from './support/browser.js';
import { writeS3Rec } from './support/fixtures.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

const EVIL = '<img src=x onerror=alert(1)><script>alert(2)</script>';

describe('datasets', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // No demo dataset: the list holds exactly what these tests import.
    server = await startServer({ env: { PULSE_NO_DEMO: '1' } });
    browser = await launch();
    await openWorkbench(browser.page, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function importThroughUi(files: string[], name: string): Promise<void> {
    const { page } = browser;
    await page.keyboard.press('Alt+1');
    await page.locator('.datasets-sidebar').waitFor();
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Import Dataset');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor();
    await page.locator('[data-testid="import-files"]').setInputFiles(files);
    await page.locator('[data-testid="detected-format"]').waitFor();
    await expect(page.locator('[data-testid="detected-format"]').textContent()).resolves.toContain('S3-Rec');
    await expect(page.getByRole('table', { name: 'Preview' }).locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await page.getByLabel('Dataset name').fill(name);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // On success the import editor opens the dataset's overview, and the list refreshes from the job event.
    await page.locator(`.dataset-item[data-dataset="${name}"]`).waitFor({ timeout: 60_000 });
    await page.locator(`.dataset-editor[data-dataset="${name}"] [data-testid="dataset-overview"]`).waitFor({ timeout: 60_000 });
  }

  test('import a generated S3-Rec file through the UI and see its statistics', async () => {
    const { page } = browser;
    const fx = writeS3Rec(path.join(tempDir('data'), 'tiny'), { stem: 'Tiny' });
    // The panel starts closed: it would cover the lower part of the editors.
    await expect(page.locator('.panel').count()).resolves.toBe(0);
    await importThroughUi([fx.sequences, fx.itemText], 'Tiny');
    const overview = page.locator('[data-testid="dataset-overview"]');
    await expect(overview.locator('[data-testid="stat-users"] .stat-value').textContent()).resolves.toBe(String(fx.users));
    await expect(overview.locator('[data-testid="stat-items"] .stat-value').textContent()).resolves.toBe(String(fx.items));
    await expect(overview.locator('[data-testid="stat-interactions"] .stat-value').textContent()).resolves.toBe(String(fx.interactions));
    // The item text file gave every item a title: the overview says so (it said "interactions only").
    await expect(overview.locator('[data-testid="dataset-fields"]').textContent()).resolves.toBe('item titles');
    // The charts render (Plotly, loaded on demand, under the CSP).
    await overview.locator('[data-testid="length-histogram"] .plot .main-svg').first().waitFor({ timeout: 30_000 });
    await overview.locator('[data-testid="popularity-chart"] .plot .main-svg').first().waitFor({ timeout: 30_000 });
    await expect(overview.locator('[data-testid="length-histogram"] .plot .bars path').count()).resolves.toBeGreaterThan(0);
    // The sidebar entry shows the counts.
    await expect(page.locator('.dataset-item[data-dataset="Tiny"]').textContent()).resolves.toContain(`${fx.users} users`);
    // The import ran as a job: the panel opened by itself on the Jobs tab when it started, and lists it as succeeded.
    await expect(page.locator('.panel [role="tab"][aria-selected="true"]').textContent()).resolves.toContain('JOBS');
    await page.locator('.jobs-table tr[data-state="succeeded"]').first().waitFor();
    expect(browser.problems).toEqual([]);
  });

  test('titles with HTML and script show as literal text', async () => {
    const { page } = browser;
    const fx = writeS3Rec(path.join(tempDir('data'), 'evil'), { stem: 'Evil', users: 5, items: 4, titles: (i) => `${EVIL} #${i}` });
    await importThroughUi([fx.sequences, fx.itemText], 'Evil');
    await page.locator('.dataset-editor').getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
    const history = page.locator('[data-testid="user-history"]');
    await history.waitFor();
    const firstTitle = history.locator('.item-title').first();
    await expect(firstTitle.textContent()).resolves.toMatch(new RegExp(`^${escapeRe(EVIL)} #\\d$`));
    await expect(firstTitle.isVisible()).resolves.toBe(true);
    // No element was created from the data and no script ran.
    await expect(page.locator('.history img, .history script, img[src="x"]').count()).resolves.toBe(0);
    await page.waitForTimeout(300);
    expect(browser.dialogs).toEqual([]);
  });

  test('rename and delete ask first and update the list', async () => {
    const { page } = browser;
    const item = page.locator('.dataset-item[data-dataset="Evil"]');
    await item.click();
    await page.getByRole('button', { name: 'Rename Evil' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename Dataset' });
    await dialog.getByLabel('Name').fill('Harmless');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await page.locator('.dataset-item[data-dataset="Harmless"]').waitFor();
    await page.getByRole('button', { name: 'Delete Harmless' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Dataset' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('.dataset-item[data-dataset="Harmless"]').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Delete Harmless' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('.dataset-item[data-dataset="Harmless"]').waitFor({ state: 'detached' });
    expect(browser.dialogs).toEqual([]);
  });

  test('a file the importer cannot read shows the host error with its hint', async () => {
    const { page } = browser;
    const dir = tempDir('bad');
    const bad = path.join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(bad, 'this is not a dataset\n');
    await page.keyboard.press('Control+Alt+I');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor();
    await page.locator('[data-testid="import-files"]').setInputFiles([bad]);
    const toast = page.locator('.toast-error').last();
    await toast.waitFor();
    await expect(toast.locator('.toast-message').textContent()).resolves.not.toBe('');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
