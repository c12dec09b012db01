/**
 * Resume after the process is killed: `pulse generate` is SIGKILLed mid-job, then run again; afterwards every
 * user has exactly one rationale. Uses the compiled CLI (scripts/test.mjs builds before tests).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { rationaleTokenBudget } from '../../../main/features/models/backend.js';
import { PULSE_BIN, pulseAsync } from '../../support/cli.js';
import { dataSet, missingReason } from '../../support/data.js';
import { importOffice } from '../../support/rationale-data.js';
import { tempDir } from '../../support/temp.js';
import { makeTempDir, writeTinyModel } from '../../support/tiny-gguf.js';

const office = dataSet('amazon_office_lcrec');
const USERS = 120;
let dir: string;
let cleanup: () => void;
let model: string;

beforeAll(async () => {
  if (!office) return;
  const t = tempDir('pulse-kill-');
  dir = t.dir;
  cleanup = t.cleanup;
  const ws = Workspace.open(dir);
  await importOffice(ws.db, 'office');
  ws.close();
  model = writeTinyModel(makeTempDir(), { chatTemplate: true }).file;
});
afterAll(() => cleanup?.());

describe.skipIf(!office)(`pulse generate killed mid-job${office ? '' : ` - skipped: ${missingReason('amazon_office_lcrec')}`}`, () => {
  it('resumes after SIGKILL with exactly one rationale per user', async () => {
    const args = ['generate', '--dataset', 'office', '--model', model, '--users', String(USERS), '--parallel', '2', '--threads', '1'];
    args.push('--max-chars', '60', '--max-tokens', String(rationaleTokenBudget(60)), '--workspace', dir, '--json');
    const child = spawn(process.execPath, [PULSE_BIN, ...args], { stdio: 'ignore' });
    const db = new Database(path.join(dir, 'workspace.sqlite'), { readonly: true });
    const count = () => {
      try {
        return db.prepare('SELECT COUNT(*) FROM rationale_versions').pluck().get() as number;
      } catch {
        return 0; // table not there until the CLI has migrated the workspace
      }
    };
    const t0 = Date.now();
    while (count() < 10 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = count();
    expect(atKill).toBeGreaterThanOrEqual(10);
    expect(atKill).toBeLessThan(USERS);

    const again = await pulseAsync(args);
    expect(again.code, again.stderr).toBe(0);
    const r = again.json as { generated: number; skipped: number; failed: number; tokens_per_second: number };
    expect(r.skipped).toBe(atKill);
    expect(r.generated).toBe(USERS - atKill);
    expect(r.failed).toBe(0);
    expect(r.tokens_per_second).toBeGreaterThan(0);
    const perUser = db
      .prepare('SELECT r.user_idx, COUNT(*) AS n FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id GROUP BY r.user_idx')
      .all() as Array<{ n: number }>;
    expect(perUser).toHaveLength(USERS);
    expect(perUser.every((x) => x.n === 1)).toBe(true);
    // The killed job is marked interrupted, not left running.
    expect(db.prepare("SELECT state FROM jobs WHERE kind = 'rationales.generate' ORDER BY id").pluck().all()).toEqual(['interrupted', 'succeeded']);
    db.close();
  }, 300_000);
});
