#!/usr/bin/env node
// Runs a TypeScript script (bench/*.ts) without tsx: esbuild bundles it (node_modules stay
// external) into .cache/run-ts/ inside the repository, so paths found from import.meta.url
// (e.g. native/build) still resolve, then it runs in this same Node process.
// Usage: node scripts/run-ts.mjs bench/train-speed.ts [args...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const outDir = join(root, '.cache', 'run-ts');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}-${process.pid}.mjs`);
await build({
  entryPoints: [resolve(entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  outfile,
  logLevel: 'warning',
});
process.argv = [process.argv[0], resolve(entry), ...process.argv.slice(3)];
await import(pathToFileURL(outfile).href);
