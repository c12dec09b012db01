#!/usr/bin/env node
// Builds the Electron door: the preload bridge (bundled to CommonJS, as sandboxed preloads need) always, and
// the Electron main process when Electron is installed (without it, `npm start` serves to a browser and the
// main process is only type-checked, by `npm test`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
await build({
  entryPoints: [path.join(root, 'preload', 'electron-bridge.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['electron'],
  outfile: path.join(root, 'build', 'preload', 'electron-bridge.cjs'),
  logLevel: 'warning',
});
if (!fs.existsSync(path.join(root, 'node_modules', 'electron', 'electron.d.ts'))) {
  console.log('[build-electron] Electron is not installed: built the preload bridge only.');
  process.exit(0);
}
const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-types.mjs')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.electron.json'], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(tsc.status ?? 1);
