import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { openDatabase } from '../../../main/platform/storage/database.js';
import { tmpDir, writeFiles } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Inside the repository so the bundle resolves better-sqlite3 from node_modules.
const bundle = path.join(root, '.cache', 'test-datasets', `import-child-${process.pid}.mjs`);
let bigFile = '';

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'test/support/import-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'warning',
  });
  // About 3M interactions: long enough to kill mid-read and mid-write.
  const dir = tmpDir();
  bigFile = path.join(dir, 'big.txt');
  const fd = fs.openSync(bigFile, 'w');
  let chunk = '';
  for (let u = 1; u <= 60000; u++) {
    let line = String(u);
    for (let k = 0; k < 50; k++) line += ' ' + (1 + ((u * 7919 + k * 104729) % 50000));
    chunk += line + '\n';
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
});

afterAll(() => fs.rmSync(bundle, { force: true }));

/** Starts the child and SIGKILLs it when a progress line matches `when`; resolves with what it printed. */
function killWhen(ws: string, when: (line: string) => boolean): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bundle, ws, 'big', bigFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!killed && out.split('\n').some(when)) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code, signal) =>
      signal === 'SIGKILL' || code === 0 ? resolve({ killed: signal === 'SIGKILL', out }) : reject(new Error(`child exit ${code}: ${err}`)),
    );
  });
}

describe('an import killed with SIGKILL leaves the workspace as it was', () => {
  it.each([
    ['while reading', (l: string) => /"done":\s*[1-9]\d{6}/.test(l) && l.includes('Reading')],
    ['while writing to the workspace', (l: string) => l.includes('Writing to the workspace')],
  ])('%s', async (_label, when) => {
    const ws = tmpDir('pulse-kill-');
    const db0 = openDatabase(path.join(ws, 'workspace.sqlite'));
    const earlier = await importDataset(db0, { paths: [writeFiles({ 'e.txt': '1 1 2 3\n2 2 3 4\n3 4 1\n' })], name: 'earlier' });
    db0.close();

    const { killed, out } = await killWhen(ws, when);
    expect(killed, `child finished before it could be killed:\n${out.slice(-500)}`).toBe(true);

    const db = openDatabase(path.join(ws, 'workspace.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT name, n_users, n_items, n_interactions, content_hash FROM datasets').all()).toEqual([
      { name: 'earlier', n_users: earlier.users, n_items: earlier.items, n_interactions: earlier.interactions, content_hash: earlier.contentHash },
    ]);
    const id = db.prepare("SELECT id FROM datasets WHERE name = 'earlier'").pluck().get();
    expect(db.prepare('SELECT count(*) FROM interactions WHERE dataset_id != ?').pluck().get(id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM users WHERE dataset_id != ?').pluck().get(id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM items WHERE dataset_id != ?').pluck().get(id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM interactions WHERE dataset_id = ?').pluck().get(id)).toBe(earlier.interactions);
    // The name is free again: the next import of the same file succeeds.
    const r = await importDataset(db, { paths: [bigFile], name: 'big' });
    expect(r.interactions).toBe(3_000_000);
    db.close();
  });
});
