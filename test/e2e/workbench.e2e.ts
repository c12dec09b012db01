import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostCall, launch, openWorkbench, type Browser } from './support/browser.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

describe('workbench shell', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a request without the token is refused with 401', async () => {
    const res = await fetch(server.origin);
    expect(res.status).toBe(401);
    const api = await fetch(new URL('api/call/app.info', server.origin), { method: 'POST', body: '{}' });
    expect(api.status).toBe(401);
  });

  test('the workbench opens with its parts, under the CSP, without errors', async () => {
    const { page } = browser;
    await openWorkbench(page, server.url);
    // The token leaves the address bar once the cookie is set.
    expect(page.url()).not.toContain('token=');
    for (const view of ['datasets', 'rationales', 'training', 'reasoning', 'models', 'settings']) {
      await expect(page.locator(`.activity-item[data-view="${view}"]`).count()).resolves.toBe(1);
    }
    await page.locator('.statusbar').waitFor();
    // The panel opens on command (Show Jobs, Ctrl+Alt+J).
    await page.keyboard.press('Control+Alt+J');
    await page.getByRole('tab', { name: 'JOBS' }).waitFor();
    await page.getByRole('tab', { name: 'OUTPUT' }).click();
    await page.locator('[role="log"]').waitFor();
    // A reload works from the cookie alone.
    await page.reload();
    await page.locator('.workbench .activitybar').waitFor();
    await page.locator('[data-testid="status-workspace"]').filter({ hasNotText: '…' }).waitFor();
    // Until the dataset service lands its calls answer not_implemented (HTTP 4xx); nothing else may fail.
    expect(browser.problems.filter((p) => !p.includes('/api/call/datasets.'))).toEqual([]);
  });

  test('the workbench has an icon: the page links it and /favicon.ico answers with it', async () => {
    const { page } = browser;
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBeTruthy();
    for (const url of [new URL(href!, page.url()), new URL('/favicon.ico', server.origin)]) {
      const res = await page.request.get(url.href);
      expect(res.status(), url.pathname).toBe(200);
      expect(res.headers()['content-type']).toBe('image/svg+xml');
      expect((await res.body()).toString()).toContain('<svg');
    }
  });

  test('the command palette opens with Ctrl+Shift+P and runs "Toggle theme"', async () => {
    const { page } = browser;
    const before = await page.locator('html').getAttribute('data-theme');
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('Control+Shift+P');
    const palette = page.getByRole('dialog', { name: 'Command Palette' });
    await palette.waitFor();
    // Keybindings show next to commands.
    await expect(palette.locator('[data-command-id="workbench.action.showCommands"] kbd').count()).resolves.toBeGreaterThan(0);
    await page.keyboard.type('toggle theme');
    const first = palette.getByRole('option').first();
    await expect(first.getAttribute('data-command-id')).resolves.toBe('workbench.action.toggleTheme');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).not.toBe(before);
    const after = await page.locator('html').getAttribute('data-theme');
    // The theme is a workspace setting: the host has it too, and it survives a reload.
    await expect.poll(async () => (await hostCall<{ theme: string }>(page, server.origin, 'settings.get')).theme).toBe(after);
    await page.reload();
    await page.locator('.workbench .activitybar').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(after);
  });

  test('the palette filters fuzzily and Escape closes it', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    const palette = page.getByRole('dialog', { name: 'Command Palette' });
    await palette.waitFor();
    await page.keyboard.type('tglpnl');
    await expect(palette.getByRole('option').first().getAttribute('data-command-id')).resolves.toBe('workbench.action.togglePanel');
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
  });

  test('editor tabs open and close with the keyboard', async () => {
    const { page } = browser;
    // Import Dataset opens an editor tab (Ctrl+Alt+I), the job panel's Details another.
    await page.keyboard.press('Control+Alt+I');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor();
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('close editor');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Alt+I');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor();
    // Alt+W is the browser-door alias of Ctrl+W (Chromium keeps Ctrl+W for closing the browser tab).
    await page.keyboard.press('Alt+W');
    await page.getByRole('tab', { name: /Import Dataset/ }).waitFor({ state: 'detached' });
  });

  test('job details open in a monaco editor (bundled, CSP-safe workers)', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+J');
    const details = page.locator('.jobs-table').getByRole('button', { name: 'Details' }).first();
    await details.waitFor({ timeout: 60_000 });
    await details.click();
    await page.locator('.job-editor .monaco-editor .view-lines').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.job-editor .monaco-editor .view-lines').textContent()).toContain('"kind"');
    await page.keyboard.press('Alt+W');
    await page.locator('.job-editor').waitFor({ state: 'detached' });
    expect(browser.problems.filter((p) => !p.includes('/api/call/datasets.'))).toEqual([]);
  });

  test('settings: the view shows theme, threads and annotator and saves them', async () => {
    const { page } = browser;
    await page.locator('.activity-item[data-view="settings"]').click();
    await page.getByLabel('Annotator').fill('Ada');
    await page.getByLabel('Annotator').press('Enter');
    await page.getByLabel('Color Theme').selectOption('high-contrast');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('high-contrast');
    await expect.poll(async () => (await hostCall<{ annotator: string }>(page, server.origin, 'settings.get')).annotator).toBe('Ada');
    await page.getByLabel('Color Theme').selectOption('dark');
  });

  test('settings: threads are validated before they are saved', async () => {
    const { page } = browser;
    await page.getByLabel('Threads').fill('9999');
    await expect(page.locator('.field-error').count()).resolves.toBeGreaterThan(0);
    await page.getByLabel('Threads').fill('4');
    await page.getByLabel('Threads').press('Enter');
    await expect.poll(async () => (await hostCall<{ threads: number }>(page, server.origin, 'settings.get')).threads).toBe(4);
  });

  test('the palette backs the workspace up and switches to another one', async () => {
    const { page } = browser;
    const runCommand = async (title: string) => {
      await page.locator('body').click({ position: { x: 700, y: 300 } });
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type(title);
      await page.keyboard.press('Enter');
    };
    const backup = path.join(tempDir('backup'), 'copy.sqlite');
    await runCommand('Back Up Workspace');
    const backupDialog = page.getByRole('dialog', { name: 'Back up workspace' });
    await backupDialog.locator('input').fill(backup);
    await backupDialog.getByRole('button', { name: 'Back Up' }).click();
    await expect.poll(() => fs.existsSync(backup)).toBe(true);

    const other = path.join(tempDir('ws2'), 'workspace');
    await runCommand('Switch Workspace');
    const switchDialog = page.getByRole('dialog', { name: 'Switch workspace' });
    await switchDialog.locator('input').fill(other);
    await switchDialog.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => page.locator('[data-testid="status-workspace"]').getAttribute('title')).toContain(other);
    const info = await hostCall<{ workspace: string }>(page, server.origin, 'app.info');
    expect(info.workspace).toBe(other);
    expect(fs.existsSync(path.join(other, 'workspace.sqlite'))).toBe(true);
  });
});
