// The setting of the e2e files that run a local model: a server without the demo, a tiny GGUF written beside its
// workspace (added or named by path, as a user would), the workbench open in Chromium, and one S3-Rec dataset
// imported through the host.
import fs from 'node:fs';
import path from 'node:path';
import { writeTinyModel } from '../../support/tiny-gguf.js';
import { hostCall, launch, openWorkbench, waitJob, type Browser } from './browser.js';
import { writeS3Rec } from './fixtures.js';
import { startServer, tempDir, type RunningServer } from './server.js';

export interface ModelWorkbench {
  server: RunningServer;
  browser: Browser;
  modelFile: string;
}

export async function openModelWorkbench(dataset: { name: string; users: number; items: number }): Promise<ModelWorkbench> {
  const server = await startServer({ env: { PULSE_NO_DEMO: '1' } });
  const dir = path.join(path.dirname(server.workspace), 'gguf');
  fs.mkdirSync(dir, { recursive: true });
  const modelFile = writeTinyModel(dir).file;
  const browser = await launch();
  await openWorkbench(browser.page, server.url);
  const fx = writeS3Rec(path.join(tempDir('data'), dataset.name.toLowerCase()), { stem: dataset.name, users: dataset.users, items: dataset.items });
  const { jobId } = await hostCall<{ jobId: number }>(browser.page, server.origin, 'datasets.import', {
    paths: [fx.sequences, fx.itemText],
    name: dataset.name,
  });
  await waitJob(browser.page, server.origin, jobId);
  return { server, browser, modelFile };
}
