import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostCall, launch, openWorkbench, type Browser } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

describe('status bar: training kernels', () => {
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

  test('names the kernels the host trains with, and why, as `pulse doctor` does', async () => {
    const { page } = browser;
    await openWorkbench(page, server.url);
    const item = page.locator('[data-testid="status-kernels"]');
    await item.waitFor();
    const doctor = await hostCall<{ kernels: { variant: string; reason: string } }>(page, server.origin, 'app.doctor');
    expect(await item.innerText()).toContain(doctor.kernels.variant);
    expect(await item.getAttribute('title')).toContain(doctor.kernels.reason);
    expect(browser.problems).toEqual([]);
  });
});
