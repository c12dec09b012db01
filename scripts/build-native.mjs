#!/usr/bin/env node
// Builds the optional float32 kernel addon (native/) with the node-gyp that npm bundles.
// Never fails the install: without a compiler or libopenblas-dev the engine falls back to
// pure TypeScript kernels, so this prints a warning and exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

function warn(msg) {
  console.warn(`[build-native] warning: ${msg}; training will use the slower TypeScript kernels.`);
  process.exit(0);
}

if (process.env.PULSE_SKIP_NATIVE === '1') warn('PULSE_SKIP_NATIVE=1');
const gyp = findNodeGyp();
if (!gyp) warn('node-gyp not found');
const args = [gyp, 'rebuild', '-C', nativeDir];
// Use local headers when the Node install ships them, so no download is needed (offline machines).
const localHeaders = join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
if (existsSync(localHeaders)) args.push(`--nodedir=${resolve(dirname(process.execPath), '..')}`);
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
if (r.status !== 0) warn('native build failed (install a C++ compiler and libopenblas-dev: apt-get install -y g++ make libopenblas-dev)');
console.log('[build-native] built native/build/Release/pulse_kernels.node');
