import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workspace } from '../../main/platform/workspace/workspace.js';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'pulse-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** A workspace in a fresh temporary folder; `cleanups` gets its close-and-remove. */
export function tempWorkspace(cleanups: (() => void)[], prefix = 'pulse-ws-'): Workspace {
  const t = tempDir(prefix);
  const ws = Workspace.open(t.dir);
  cleanups.push(() => {
    ws.close();
    t.cleanup();
  });
  return ws;
}
