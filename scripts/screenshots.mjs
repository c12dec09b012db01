#!/usr/bin/env node
/**
 * Screenshots of the main views, light and dark, into docs/screenshots/. Starts `pulse serve` on a temporary
 * workspace (the built-in demo dataset loads there by default) and drives Debian's Chromium.
 * Needs the builds: `npx tsc -p tsconfig.build.json && npx vite build`. Usage: node scripts/screenshots.mjs
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/screenshots');
const executablePath = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-shots-'));

function startServer() {
  const child = spawn(process.execPath, [path.join(root, 'build/main/cli/pulse.js'), 'serve', '--port', '0', '--workspace', path.join(tmp, 'workspace'), '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', (l) => resolve({ child, url: JSON.parse(l).url }));
    child.once('exit', (c) => reject(new Error(`pulse serve exited with ${c}`)));
  });
}

/** A tiny S3-Rec file for the import screen. */
function sampleFile() {
  const f = path.join(tmp, 'Sample.txt');
  const lines = [];
  for (let u = 1; u <= 50; u++) lines.push(`${u} ${Array.from({ length: 3 + (u % 7) }, (_, k) => 1 + ((u * 7 + k * 13) % 40)).join(' ')}`);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

const { child, url } = await startServer();
const origin = new URL('/', url).href;
const ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath,
  headless: true,
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const call = async (method, input = {}) => {
  const r = await page.request.post(new URL(`api/call/${method}`, origin).href, { data: input });
  const body = await r.json();
  if (!body.ok) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};
const shot = async (name) => {
  await page.waitForTimeout(400);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(path.relative(root, file));
};
fs.mkdirSync(outDir, { recursive: true });

try {
  await page.goto(url);
  await page.locator('.workbench .activitybar').waitFor();

  // Wait for the demo dataset (built by a job when the workspace is new).
  let datasets = [];
  for (let i = 0; i < 120; i++) {
    try {
      datasets = (await call('datasets.list')).datasets;
    } catch {
      datasets = [];
    }
    if (datasets.length) break;
    await page.waitForTimeout(500);
  }
  if (!datasets.length) console.warn('No dataset in the workspace (is the dataset service in?): dataset screenshots are skipped.');

  for (const theme of ['dark', 'light']) {
    await call('settings.update', { theme });
    await page.reload();
    await page.locator('.workbench .activitybar').waitFor();
    await page.keyboard.press('Alt+1');
    await shot(`workbench-${theme}`);

    if (datasets.length) {
      const name = datasets[0].name;
      await page.locator(`.dataset-item[data-dataset="${name}"]`).click();
      await page.locator('[data-testid="popularity-chart"] .main-svg').first().waitFor({ timeout: 30_000 });
      await shot(`dataset-overview-${theme}`);
      await page.locator('.dataset-editor').getByRole('tab', { name: 'Users' }).click();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').nth(2).click();
      await page.locator('[data-testid="user-history"]').waitFor();
      await shot(`dataset-users-${theme}`);
    }

    await page.keyboard.press('Control+Alt+I');
    await page.locator('[data-testid="import-files"]').setInputFiles([sampleFile()]);
    await page.locator('[data-testid="detected-format"], .error-box').first().waitFor({ timeout: 30_000 });
    await shot(`import-${theme}`);

    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('view');
    await shot(`command-palette-${theme}`);
    await page.keyboard.press('Escape');

    await page.locator('.activity-item[data-view="settings"]').click();
    await page.getByRole('tab', { name: /OUTPUT/ }).click();
    await shot(`settings-output-${theme}`);
    await page.getByRole('tab', { name: /JOBS/ }).click();
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('close all editors');
    await page.keyboard.press('Enter');
  }
} finally {
  await ctx.close();
  child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
