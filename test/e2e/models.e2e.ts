import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from './support/browser.js';
import type { RunningServer } from './support/server.js';
import { openModelWorkbench } from './support/model-workbench.js';

describe('models', () => {
  let server: RunningServer;
  let browser: Browser;
  let modelFile: string;

  beforeAll(async () => {
    ({ server, browser, modelFile } = await openModelWorkbench({ name: 'Gen', users: 12, items: 20 }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a GGUF added by path is listed with its metadata and fit', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Add Model by Path');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add Model' });
    await dialog.getByLabel('Path').fill(modelFile);
    await dialog.getByRole('button', { name: 'Add' }).click();
    const item = page.locator('.model-item').first();
    await item.waitFor({ timeout: 30_000 });
    const text = await item.textContent();
    expect(text).toContain('llama');
    expect(text).toMatch(/F32|f32/);
    expect(text).toContain('ctx 2048');
    expect(text).toContain('chat');
    await expect(item.locator('[data-fit]').getAttribute('data-fit')).resolves.toMatch(/^(fits|tight|too-large)$/);
    // Adding one model opens its page.
    const editor = page.locator('[data-testid="model-editor"]');
    await editor.waitFor();
    await expect(editor.getByRole('table', { name: 'Model metadata' }).textContent()).resolves.toContain(modelFile);
    expect(browser.problems).toEqual([]);
  });

  test('a short generation shows its progress and finishes', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+G');
    const gen = page.locator('[data-testid="models-generate"]');
    await gen.waitFor();
    await gen.getByLabel('Dataset').selectOption('Gen');
    await gen.getByLabel('Model', { exact: true }).fill(modelFile);
    await gen.getByLabel('Users').fill('3');
    await gen.getByLabel('Parallel').fill('1');
    await gen.getByLabel('Max tokens').fill('24');
    await gen.getByRole('button', { name: 'Start Generation' }).click();
    const status = gen.locator('[data-testid="job-status"]');
    await status.waitFor({ timeout: 30_000 });
    await status.locator('[role="progressbar"]').waitFor();
    await gen.locator('[data-testid="job-status"][data-state="succeeded"]').waitFor({ timeout: 120_000 });
    await expect(gen.locator('[data-testid="job-progress-text"]').textContent()).resolves.toMatch(/3 \/ 3 users/);
    expect(browser.problems).toEqual([]);
  });

  test('the playground shows the exact prompt, the output and token counts', async () => {
    const { page } = browser;
    const gen = page.locator('[data-testid="models-generate"]');
    await gen.getByRole('tab', { name: 'Playground' }).click();
    await gen.getByLabel('Playground max tokens').fill('16');
    await gen.locator('[data-testid="playground"]').getByRole('button', { name: 'Run' }).click();
    const res = gen.locator('[data-testid="playground-result"]');
    await res.waitFor({ timeout: 60_000 }).catch(async (e) => {
      await page.screenshot({ path: '/tmp/pulse-playground-fail.png' });
      throw e;
    });
    await expect(res.locator('[data-testid="playground-prompt"]').textContent()).resolves.toContain('Item number');
    await expect(res.locator('[data-testid="playground-tokens"]').textContent()).resolves.toMatch(/\d+ prompt \+ \d+ completion/);
    expect(browser.problems).toEqual([]);
  });

  test('the endpoint form warns that data leaves the machine', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Configure Endpoint');
    await page.keyboard.press('Enter');
    const ep = page.locator('[data-testid="models-endpoint"]');
    await ep.waitFor();
    await expect(ep.locator('[data-testid="endpoint-warning"]').textContent()).resolves.toMatch(/leaves this machine/i);
    await expect(ep.getByLabel('API key').getAttribute('type')).resolves.toBe('password');
  });
});
