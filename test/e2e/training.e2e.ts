import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostCall, launch, openWorkbench, waitJob, type Browser } from './support/browser.js';
import { writeS3Rec } from './support/fixtures.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

/** A host call from the page (same cookie and Origin as the UI). */
const call = hostCall;

/**
 * The faint (raw) trace of a Plotly chart: its opacity and the contrast of its blended colour against the card
 * behind the chart (WCAG relative luminance).
 */
async function rawLineContrast(card: Locator): Promise<{ opacity: number; contrast: number }> {
  // Runs in the page; this file is type-checked as Node code, so the DOM is reached through minimal shapes.
  type Node = { querySelectorAll(s: string): ArrayLike<Node>; querySelector(s: string): Node | null };
  type Style = { opacity: string; stroke: string; backgroundColor: string };
  const found = await card.evaluate((el) => {
    const css = (n: unknown) => (globalThis as unknown as { getComputedStyle(n: unknown): Style }).getComputedStyle(n);
    const rgb = (v: string) => (v.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const root = el as unknown as Node;
    const traces = Array.from(root.querySelectorAll('.scatterlayer .trace')).map((g) => ({
      opacity: Number(css(g).opacity),
      stroke: rgb(css(g.querySelector('path.js-line')).stroke),
    }));
    return { bg: rgb(css(el).backgroundColor), faint: traces.find((t) => t.opacity < 1) ?? traces[0]! };
  });
  const { bg, faint } = found;
  const lum = (c: number[]) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  const blended = faint.stroke.map((v, i) => bg[i]! + faint.opacity * (v - bg[i]!));
  const [hi, lo] = [lum(blended), lum(bg)].sort((a, b) => b - a) as [number, number];
  return { opacity: faint.opacity, contrast: (hi + 0.05) / (lo + 0.05) };
}

describe('training', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { PULSE_NO_DEMO: '1' } });
    browser = await launch();
    await openWorkbench(browser.page, server.url);
    const fx = writeS3Rec(path.join(tempDir('data'), 'train'), { stem: 'Small', users: 60, items: 40 });
    const { jobId } = await call<{ jobId: number }>(browser.page, server.origin, 'datasets.import', { paths: [fx.sequences, fx.itemText], name: 'Small' });
    await waitJob(browser.page, server.origin, jobId);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a short run from the form: curves update while it trains, the runs table shows it', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('New Training Run');
    await page.keyboard.press('Enter');
    const form = page.locator('[data-testid="training-new"]');
    await form.waitFor();
    // Every field explains itself in a tooltip.
    const titles = await form.locator('.field[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(titles.length).toBeGreaterThan(5);
    expect(titles.every((t) => t.length > 5)).toBe(true);
    await form.getByLabel('Dataset').selectOption('Small');
    // Far more epochs than needed: the test watches the curves grow while it trains, then cancels it.
    await form.getByLabel('epochs').fill('5000');
    await form.getByLabel('patience').fill('10000');
    await form.getByLabel('evalEvery').fill('5');
    await form.getByLabel('seed').fill('3');
    await form.getByRole('button', { name: 'More settings' }).click();
    await form.getByLabel('hidden', { exact: true }).fill('16');
    await form.getByLabel('heads', { exact: true }).fill('2');
    await form.getByLabel('inner', { exact: true }).fill('32');
    await form.getByLabel('batch', { exact: true }).fill('16');
    await form.getByLabel('metricEvery').fill('1');
    // 40 items leave too few negatives for the default sampled:100 test protocol.
    await form.getByLabel('testProtocols').fill('full');
    await form.getByRole('button', { name: 'Start Training' }).click();

    const runs = page.locator('[data-testid="training-runs"]');
    await runs.waitFor();
    const curves = runs.locator('[data-testid="curves"]');
    // Points arrive while training and keep arriving (the curves follow the job).
    const points = async () => Number((await curves.getAttribute('data-points')) ?? 0);
    await expect.poll(points, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const first = await points();
    // More points arrive while the run is still training (live, from the job's metrics events).
    await expect.poll(points, { timeout: 30_000, interval: 100 }).toBeGreaterThan(first);
    const status = runs.locator('[data-testid="job-status"][data-state="running"]');
    await expect(status.count()).resolves.toBe(1);
    await expect.poll(points, { timeout: 30_000, interval: 100 }).toBeGreaterThan(first + 20);
    await status.getByRole('button', { name: 'Cancel' }).click();
    await runs.locator('tr[data-state="cancelled"]').first().waitFor({ timeout: 60_000 });
    await runs.locator('[data-testid="loss-chart"] .plot .scatterlayer .trace').first().waitFor({ timeout: 30_000 });
    await runs.locator('[data-testid="valid-chart"] .plot .scatterlayer .trace').first().waitFor({ timeout: 30_000 });
    // Smoothing draws a faint raw line behind the smoothed one.
    await expect(runs.locator('[data-testid="loss-chart"] .scatterlayer .trace').count()).resolves.toBe(2);
    // Faint, yet visible in the dark theme: at least 2:1 against the chart card once its opacity blends it (0.25 gave 1.3:1).
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    const raw = await rawLineContrast(runs.locator('[data-testid="loss-chart"]'));
    expect(raw.opacity).toBeLessThan(1);
    expect(raw.contrast).toBeGreaterThanOrEqual(2);
    await runs.getByRole('tab', { name: 'epoch' }).click();
    await runs.getByLabel('Log scale').check();
    const row = runs.locator('table[aria-label="Runs"] tbody tr').first();
    await expect(row.locator('td').nth(8).textContent()).resolves.toMatch(/\d/);
    expect(browser.problems).toEqual([]);
  });

  test('the Thought-Space map opens, and a point opens its rationale', async () => {
    const { page } = browser;
    const { jobId } = await call<{ jobId: number }>(page, server.origin, 'rationales.draft', { dataset: 'Small' });
    await waitJob(page, server.origin, jobId);
    await page.keyboard.press('Control+Alt+M');
    const map = page.locator('[data-testid="space-map"]');
    await map.waitFor();
    await map.locator('summary', { hasText: 'Train a Thought Space' }).click();
    await map.getByLabel('Dataset').selectOption('Small');
    await map.getByLabel('Space epochs').fill('3');
    await map.getByRole('button', { name: 'Train Space' }).click();
    await map.locator('[data-testid="map-after"] .plot .scatterlayer .point').first().waitFor({ timeout: 90_000 });
    await map.locator('[data-testid="map-before"] .plot .scatterlayer .point').first().waitFor();
    await map.getByLabel('Colour by').selectOption('split');
    const point = map.locator('[data-testid="map-after"] .scatterlayer .point').first();
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('[data-testid="rationale-detail"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="rationale-detail"] .chain').first().waitFor();
    expect(browser.problems).toEqual([]);
  });
});
