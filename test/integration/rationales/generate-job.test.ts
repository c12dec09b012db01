/**
 * The generation job over a real dataset (a few hundred Office users) on the tiny GGUF: every row valid JSON,
 * one rationale per user explaining its last training item, prompt shortening recorded, skip on re-run,
 * regenerate, cancel and resume. Jobs run compiled code: `npm run build:host` first (scripts/test.mjs does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../common/contract/index.js';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import type { GenerateResult } from '../../../main/features/rationales/generate-job.js';
import { rationaleTokenBudget } from '../../../main/features/models/backend.js';
import { importOffice } from '../../support/rationale-data.js';
import { dataSet, missingReason } from '../../support/data.js';
import { tempDir } from '../../support/temp.js';
import { makeTempDir, writeTinyModel } from '../../support/tiny-gguf.js';

const office = dataSet('amazon_office_lcrec');
const USERS = 200;
const MAX_CHARS = 60;
// Enough tokens that the grammar-bounded string can never be cut: every row must parse as JSON unrepaired.
const SETTINGS = { maxChars: MAX_CHARS, maxTokens: rationaleTokenBudget(MAX_CHARS) };

let host: Host;
let cleanup: () => void;
let model: string;
let datasetId: number;

beforeAll(async () => {
  if (!office) return;
  const t = tempDir('pulse-gen-');
  cleanup = t.cleanup;
  host = Host.open(t.dir, 'cli', CONTRIBUTIONS);
  datasetId = (await importOffice(host.workspace.db, 'office'))!;
  model = writeTinyModel(makeTempDir(), { chatTemplate: true }).file;
});

afterAll(async () => {
  await host?.close();
  cleanup?.();
});

async function runJob(params: Record<string, unknown>): Promise<Job> {
  const job = host.jobs.start('rationales.generate', { dataset: 'office', model, threads: 1, settings: SETTINGS, ...params }, 'test generate');
  return host.jobs.wait(job.id);
}

interface Row {
  user_idx: number;
  item_idx: number;
  target_pos: number;
  text: string;
  agent: string;
  agent_kind: string;
}
const rows = (): Row[] =>
  host.workspace.db
    .prepare(
      `SELECT r.user_idx, r.item_idx, r.target_pos, v.text, v.agent, v.agent_kind FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id
       WHERE r.dataset_id = ? AND v.agent_kind = 'slm' ORDER BY r.user_idx, v.version`,
    )
    .all(datasetId) as Row[];

describe.skipIf(!office)(`generation job on ${USERS} Office users (tiny GGUF)${office ? '' : ` - skipped: ${missingReason('amazon_office_lcrec')}`}`, () => {
  it('writes one valid rationale per user, about its last training item, with provenance', async () => {
    const job = await runJob({ users: USERS, parallel: 4 });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const r = job.result as GenerateResult;
    expect(r.generated + r.skipped).toBe(USERS);
    expect(r.failed).toBe(0);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    const all = rows();
    expect(all).toHaveLength(r.generated);
    expect(new Set(all.map((x) => x.user_idx)).size).toBe(all.length);
    const split = host.workspace.db.prepare('SELECT split, item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND pos = ?');
    const lastTrain = host.workspace.db.prepare("SELECT MAX(pos) FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train'").pluck();
    let shortened = 0;
    for (const x of all) {
      const agent = JSON.parse(x.agent) as Record<string, unknown>;
      // Valid JSON straight from the model; the stored text within its bound (in characters, i.e. code points).
      const out = JSON.parse(agent.output as string) as { rationale: string };
      expect(typeof out.rationale).toBe('string');
      expect([...x.text].length).toBeLessThanOrEqual(MAX_CHARS);
      expect(agent.repaired).toBe(false);
      // The leakage rule: the target is a training item, the user's last one.
      expect(split.get(datasetId, x.user_idx, x.target_pos)).toEqual({ split: 'train', item_idx: x.item_idx });
      expect(x.target_pos).toBe(lastTrain.get(datasetId, x.user_idx));
      // Provenance.
      expect(agent).toMatchObject({
        kind: 'slm',
        model: { name: 'tiny-chatml.gguf' },
        template: { name: 'pulse-rationale' },
        settings: { temperature: 0.7, ...SETTINGS },
      });
      expect((agent.model as { fileHash: string }).fileHash).toMatch(/^[0-9a-f]{64}$/);
      expect(agent.promptTokens).toBeGreaterThan(0);
      expect(agent.completionTokens).toBeGreaterThan(0);
      expect(typeof agent.seed).toBe('number');
      if (agent.promptShortened) shortened++;
    }
    // The tiny model's byte-level vocabulary makes long Office histories overflow its 2048-token context.
    expect(shortened).toBe(r.shortened);
    expect(shortened).toBeGreaterThan(0);
  }, 300_000);

  it('skips finished users on a second run, and adds versions only with regenerate', async () => {
    const before = rows().length;
    const again = await runJob({ users: USERS, parallel: 4 });
    expect(again.result).toMatchObject({ generated: 0, skipped: USERS });
    expect(rows()).toHaveLength(before);
    const regen = await runJob({ users: 5, parallel: 2, regenerate: true });
    expect(regen.result).toMatchObject({ generated: 5, skipped: 0 });
    expect(rows()).toHaveLength(before + 5);
    // Different settings are a different run: not skipped.
    const other = await runJob({ users: 3, settings: { ...SETTINGS, temperature: 0.2 } });
    expect(other.result).toMatchObject({ generated: 3, skipped: 0 });
  }, 300_000);

  it('cancels mid-job and resumes without duplicates', async () => {
    const settings = { ...SETTINGS, seed: 42 };
    const job = host.jobs.start('rationales.generate', { dataset: 'office', model, threads: 1, users: USERS, parallel: 2, settings }, 'to cancel');
    const count = () =>
      host.workspace.db
        .prepare('SELECT COUNT(*) FROM rationale_versions WHERE generation_key = (SELECT generation_key FROM rationale_versions WHERE job_id = ? LIMIT 1)')
        .pluck()
        .get(job.id) as number;
    const t0 = Date.now();
    while (count() < 5 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    host.jobs.cancel(job.id);
    const end = await host.jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    const partial = count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(USERS);
    const resumed = await host.jobs.wait(host.jobs.resume(job.id).id);
    expect(resumed.state).toBe('succeeded');
    expect(resumed.result).toMatchObject({ skipped: partial, generated: USERS - partial });
    const perUser = host.workspace.db
      .prepare(
        'SELECT r.user_idx, COUNT(*) AS n FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id WHERE v.generation_key = ? GROUP BY r.user_idx',
      )
      .all((resumed.result as GenerateResult).generationKey) as Array<{ n: number }>;
    expect(perUser).toHaveLength(USERS);
    expect(perUser.every((x) => x.n === 1)).toBe(true);
  }, 300_000);
});
