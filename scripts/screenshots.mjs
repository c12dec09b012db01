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
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/screenshots');
const executablePath = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-shots-'));

function startServer() {
  const child = spawn(
    process.execPath,
    [path.join(root, 'build/main/doors/cli/pulse.js'), 'serve', '--port', '0', '--workspace', path.join(tmp, 'workspace'), '--json'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
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
  // The server wants the page's Origin with the cookie, as a browser sends it (docs/security.md).
  const url = new URL(`api/call/${method}`, origin);
  const r = await page.request.post(url.href, { data: input, headers: { origin: url.origin } });
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

const waitJob = async (jobId, ms = 300_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const j = await call('jobs.get', { id: jobId });
    if (!['queued', 'running'].includes(j.state)) return j;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${j.state}`);
    await page.waitForTimeout(500);
  }
};

/** A tiny GGUF (test/support/tiny-gguf.ts bundled on the fly), rationales, a Thought Space, a training run, a refinement. */
async function prepareModelWork(dataset) {
  const bundle = path.join(tmp, 'tiny-gguf.mjs');
  await build({
    entryPoints: [path.join(root, 'test/support/tiny-gguf.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  });
  const { writeTinyModel } = await import(pathToFileURL(bundle).href);
  const model = writeTinyModel(path.join(tmp, 'models')).file;
  await call('models.add', { path: model });
  await waitJob((await call('rationales.draft', { dataset, users: 200 })).jobId);
  const space = await waitJob((await call('space.train', { dataset, encoder: 'tfidf', name: 'shots', epochs: 5 })).jobId);
  if (space.state !== 'succeeded') console.warn('space.train', space.state, space.error?.message);
  const settings = { dataset, epochs: 8, evalEvery: 1, hidden: 32, heads: 2, inner: 64, batch: 64, metricEvery: 2, testProtocols: ['full'] };
  for (const seed of [1, 2]) {
    const r = await call('train.start', { ...settings, seed, name: `sasrec seed ${seed}`, ...(seed === 2 ? { dropout: 0.2 } : {}) });
    const j = await waitJob(r.jobId);
    if (j.state !== 'succeeded') console.warn('train', j.state, j.error?.message);
  }
  // PULSE over two seeds as one sweep (a group in the runs table), for the compare and per-user views.
  const sweep = await call('train.sweep', { settings: { ...settings, arch: 'pulse' }, grid: { seed: [1, 2] }, name: 'pulse seeds' });
  const sj = await waitJob(sweep.jobId);
  if (sj.state !== 'succeeded') console.warn('train.sweep', sj.state, sj.error?.message);
  const refine = await waitJob((await call('refine.run', { dataset, model, space: 'shots', users: 1, depth: 2, branching: 2, beam: 1, stepChars: 60 })).jobId);
  if (refine.state !== 'succeeded') console.warn('refine', refine.state, refine.error?.message);
  return { model };
}

async function palette(title) {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
}

async function shootModelViews(theme, dataset, { model }) {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('close all editors');
  await page.keyboard.press('Enter');
  // The panel away (it opens when a job starts): more room for the views.
  if (await page.locator('.panel').count()) await page.keyboard.press('Control+J');
  await page.locator('.activity-item[data-view="models"]').click();
  await page.locator('.model-item').first().click();
  await page.locator('[data-testid="model-editor"]').waitFor();
  await shot(`models-${theme}`);

  await palette('Open Prompt Playground');
  const gen = page.locator('[data-testid="models-generate"]');
  await gen.getByLabel('Dataset').selectOption(dataset);
  await gen.getByLabel('Model', { exact: true }).fill(model);
  await gen.getByLabel('Playground max tokens').fill('24');
  await gen.locator('[data-testid="playground"]').getByRole('button', { name: 'Run' }).click();
  await gen.locator('[data-testid="playground-result"]').waitFor({ timeout: 120_000 });
  await shot(`models-playground-${theme}`);

  await palette('Show Runs and Curves');
  await page.locator('[data-testid="training-runs"] table[aria-label="Runs"] tbody tr').nth(1).waitFor();
  const boxes = page.locator('[data-testid="training-runs"] table[aria-label="Runs"] tbody input[type="checkbox"]');
  for (let i = 0; i < (await boxes.count()); i++) if (!(await boxes.nth(i).isChecked())) await boxes.nth(i).check();
  await page.locator('[data-testid="valid-chart"] .scatterlayer .trace').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="curves"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(`training-runs-${theme}`);

  await palette('Compare Selected Runs');
  const compare = page.locator('[data-testid="training-compare"]');
  await compare.locator('[data-testid="compare-table"]').waitFor({ timeout: 30_000 });
  await compare.locator('[data-testid="valid-chart"] .scatterlayer .trace').first().waitFor({ timeout: 30_000 });
  await shot(`training-compare-${theme}`);

  await compare.getByRole('button', { name: 'Open a User Side by Side…' }).click();
  const user = page.locator('[data-testid="training-user"]');
  await user.locator('[data-testid="top-list"]').nth(1).waitFor({ timeout: 30_000 });
  await shot(`training-user-${theme}`);

  await palette('Open Thought-Space Map');
  await page.locator('[data-testid="map-after"] .scatterlayer .point').first().waitFor({ timeout: 30_000 });
  await shot(`space-map-${theme}`);

  await palette('Ask About a User');
  const ask = page.locator('[data-testid="reasoning-ask"]');
  await ask.getByLabel('Dataset').selectOption(dataset);
  await ask.getByLabel('Model', { exact: true }).fill(model);
  await ask.getByLabel('Space', { exact: true }).fill('shots');
  await ask.getByLabel('Max tokens').fill('24');
  await ask.getByRole('button', { name: 'Ask', exact: true }).click();
  await ask.locator('[data-testid="ask-result"][data-state="succeeded"]').waitFor({ timeout: 120_000 });
  await shot(`reasoning-ask-${theme}`);

  await palette('Open Refinement Tree');
  await page.locator('[data-testid="reasoning-tree"]').getByLabel('Dataset').selectOption(dataset);
  await page.locator('[data-testid="tree-view"], [data-testid="no-tree"]').first().waitFor({ timeout: 30_000 });
  await shot(`reasoning-tree-${theme}`);
  await palette('close all editors');
  await page.keyboard.press('Control+J');
}

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
  const work = datasets.length ? await prepareModelWork(datasets[0].name) : null;

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

    if (work) await shootModelViews(theme, datasets[0].name, work);

    await page.locator('.activity-item[data-view="settings"]').click();
    await page.keyboard.press('Control+Alt+O'); // Show Output (the panel starts closed)
    await page.locator('[role="log"]').waitFor();
    await shot(`settings-output-${theme}`);
    await page.keyboard.press('Control+Alt+J');
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('close all editors');
    await page.keyboard.press('Enter');
  }
} finally {
  await ctx.close();
  child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
