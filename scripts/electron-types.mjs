#!/usr/bin/env node
// Puts electron.d.ts at .cache/electron-types/ so the Electron door type-checks on machines where Electron's
// runtime could not be installed (its postinstall downloads a binary; as an optional dependency it is then
// left out). Uses the installed package when present, else the same version's tarball from the npm registry.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, '.cache', 'electron-types');
const out = path.join(outDir, 'electron.d.ts');
fs.mkdirSync(outDir, { recursive: true });

const installed = path.join(root, 'node_modules', 'electron', 'electron.d.ts');
if (fs.existsSync(installed)) {
  fs.copyFileSync(installed, out);
  process.exit(0);
}
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const version = lock.packages?.['node_modules/electron']?.version;
if (!version) throw new Error('electron is not in package-lock.json');
const stamp = path.join(outDir, 'version');
if (fs.existsSync(out) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === version) process.exit(0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-types-'));
execFileSync('npm', ['pack', `electron@${version}`, '--silent', '--pack-destination', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
execFileSync('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp, 'package/electron.d.ts']);
fs.copyFileSync(path.join(tmp, 'package', 'electron.d.ts'), out);
fs.writeFileSync(stamp, version);
fs.rmSync(tmp, { recursive: true, force: true });
console.error(`electron-types: using electron.d.ts ${version} from the npm registry (Electron's runtime is not installed here).`);
