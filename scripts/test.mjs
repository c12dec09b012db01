#!/usr/bin/env node
// `npm test`: lint, both type-checks (and the Electron door's), the build, the Electron security scan, unit and
// integration tests, and the end-to-end tests in Chromium (each view also checked with axe-core). Ends with one
// line "tests: N passed, N failed" over every test it ran.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cache = path.join(root, '.cache');
fs.mkdirSync(cache, { recursive: true });
const npx = (args) => ['npx', ['--no-install', ...args]];

const steps = [
  ['lint', ...npx(['eslint', '.'])],
  ['format', ...npx(['prettier', '--check', '{main,common,preload,renderer,test,scripts,bench}/**/*.{ts,tsx,mjs}'])],
  ['typecheck (node)', ...npx(['tsc', '-p', 'tsconfig.json'])],
  ['typecheck (web)', ...npx(['tsc', '-p', 'tsconfig.web.json'])],
  ['electron types', 'node', ['scripts/electron-types.mjs']],
  ['typecheck (electron)', ...npx(['tsc', '-p', 'tsconfig.electron.json', '--noEmit'])],
  ['build', 'npm', ['run', 'build', '--silent']],
  // Electronegativity over the Electron door and the window's code; fails on an unexplained HIGH or MEDIUM finding.
  ['electron security scan', 'node', ['scripts/scan-electron.mjs']],
  ['unit and integration tests', ...npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${path.join(cache, 'vitest.json')}`])],
  [
    'end-to-end tests (Chromium)',
    ...npx(['vitest', 'run', '-c', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${path.join(cache, 'vitest-e2e.json')}`]),
  ],
];

const only = process.env.PULSE_TEST_STEPS?.split(',');
let failedSteps = [];
for (const [name, cmd, args] of steps) {
  if (only && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    failedSteps.push(name);
    console.log(`=== ${name}: FAILED (${secs}s)`);
  } else console.log(`=== ${name}: ok (${secs}s)`);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of ['vitest.json', 'vitest-e2e.json']) {
  const file = path.join(cache, f);
  if (!fs.existsSync(file)) continue;
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += j.numPassedTests ?? 0;
  failed += j.numFailedTests ?? 0;
  skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  fs.rmSync(file);
}
console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
