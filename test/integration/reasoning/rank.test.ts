import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalModel, type LocalGgufBackend } from '../../../main/features/models/runtime.js';
import { rankCandidates } from '../../../main/features/reasoning/rank-core.js';
import { drawCandidates, rankUsers, userRationale } from '../../../main/features/reasoning/rank-data.js';
import { rankCompletionPrompt } from '../../../main/features/reasoning/rank-prompt.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { trainingTarget, writeRationale } from '../../../main/features/rationales/rationale-store.js';
import { pulse } from '../../support/cli.js';
import { writeTinyDataset, type TinyDataset } from '../../support/reasoning-fixtures.js';
import { tempDir } from '../../support/temp.js';
import { writeTinyLora, writeTinyModel } from '../../support/tiny-gguf.js';

const t = tempDir('pulse-rank-');
const ws = path.join(t.dir, 'ws');
let model: string;
let lora: string;
let ds: TinyDataset;
let backend: LocalGgufBackend;

const fixed = {
  history: ['good brand 0', 'great product 13', 'old item 26'],
  candidates: ['new style 3', 'little game 4', 'long beauty 5', 'right luxury 6', 'last quality 7'],
  positive: 2,
  rationale: null,
};

beforeAll(async () => {
  model = writeTinyModel(t.dir).file;
  lora = writeTinyLora(path.join(t.dir, 'tiny-lora.gguf')).file;
  ds = writeTinyDataset(ws);
  backend = await loadLocalModel({ modelPath: model, threads: 1, contextSize: 1024 });
});
afterAll(async () => {
  await backend?.dispose();
  t.cleanup();
});

const readCandidates = (seed: number) => {
  const w = Workspace.open(ws);
  try {
    return w.db.prepare('SELECT user_idx, position, item_idx, positive FROM rank_candidates WHERE seed = ? ORDER BY user_idx, position').all(seed);
  } finally {
    w.close();
  }
};

describe('SLM ranker on the tiny GGUF', () => {
  it('likelihood scoring ranks every fixed candidate by mean log-probability of its title after the prompt', async () => {
    const out = await rankCandidates(backend, fixed, 'likelihood');
    expect([...out.order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(out.rank).toBe(out.order.indexOf(2));
    const direct = await backend.scoreContinuations(
      rankCompletionPrompt(fixed.history, fixed.candidates, null),
      fixed.candidates.map((c) => ` ${c}`),
    );
    expect(out.scores!.map((s) => s.meanLogProb)).toEqual(direct.map((s) => s.meanLogProb));
    const best = direct.reduce((b, s, i) => (s.meanLogProb > direct[b]!.meanLogProb ? i : b), 0);
    expect(out.order[0]).toBe(best);
    // Deterministic: the same prompt gives the same ranking.
    expect((await rankCandidates(backend, fixed, 'likelihood')).order).toEqual(out.order);
  });

  it('generate scoring: the hit is the first candidate title found in the greedy output', async () => {
    const out = await rankCandidates(backend, fixed, 'generate', { maxTokens: 24 });
    expect(typeof out.output).toBe('string');
    expect(out.order.every((i) => out.output!.toLowerCase().includes(fixed.candidates[i]!))).toBe(true);
    expect(out.rank).toBe(out.order.indexOf(2));
    // The prompt carries the rationale in the paper's form when given.
    expect(rankCompletionPrompt(fixed.history, fixed.candidates, 'She likes good brands.')).toMatch(
      /Let me think: She likes good brands\. The recommendation is$/,
    );
  });

  it('loads a LoRA adapter GGUF and it changes the scores', async () => {
    const adapted = await loadLocalModel({ modelPath: model, threads: 1, contextSize: 1024, lora: [{ filePath: lora }] });
    try {
      const a = await rankCandidates(adapted, fixed, 'likelihood');
      const b = await rankCandidates(backend, fixed, 'likelihood');
      expect(a.scores!.map((s) => s.logProb)).not.toEqual(b.scores!.map((s) => s.logProb));
    } finally {
      await adapted.dispose();
    }
  });

  it('pulse rank under both scorings; the same seed gives identical stored candidate sets across runs', () => {
    const base = ['rank', '--dataset', ds.name, '--model', model, '--threads', '1', '--users', '4', '--json', '--workspace', ws];
    const a = pulse([...base, '--seed', '5']);
    expect(a.code, a.stderr).toBe(0);
    const ra = a.json as Record<string, number>;
    expect(ra).toMatchObject({ users: 4, candidates: 5, history: 3, seed: 5, scoring: 'likelihood' });
    expect(ra['hr@1']).toBeGreaterThanOrEqual(0);
    expect(ra['hr@5']).toBe(1); // 5 candidates, all ranked
    const first = readCandidates(5);
    expect(first).toHaveLength(4 * 5);

    const g = pulse([...base, '--seed', '5', '--scoring', 'generate']);
    expect(g.code, g.stderr).toBe(0);
    expect(g.json).toMatchObject({ users: 4, scoring: 'generate' });
    expect((g.json as Record<string, number>)['hr@1']).toBeLessThanOrEqual(1);
    expect(readCandidates(5)).toEqual(first); // read back, not redrawn

    // A fresh workspace draws the same sets from the same seed; another seed draws other sets.
    const w = Workspace.open(ws);
    try {
      const users = rankUsers(w.db, ds.datasetId, 4);
      const redrawn = users.flatMap((u) => drawCandidates(u, ds.items, 5, 5, 'test').items);
      expect(redrawn).toEqual(first.map((r) => (r as { item_idx: number }).item_idx));
      const other = users.flatMap((u) => drawCandidates(u, ds.items, 5, 6, 'test').items);
      expect(other).not.toEqual(redrawn);
      for (const u of users) {
        const set = drawCandidates(u, ds.items, 5, 5, 'test');
        expect(set.positive).toBe(u.sequence.at(-1)); // the test item
        expect(set.items.filter((i) => u.sequence.includes(i))).toEqual([set.positive]); // negatives outside the history
      }
    } finally {
      w.close();
    }
  });

  it('pulse rank --lora FILE ranks with the adapter; larger K reports HR/NDCG at K', () => {
    const r = pulse([
      'rank',
      '--dataset',
      ds.name,
      '--model',
      model,
      '--lora',
      lora,
      '--candidates',
      '10',
      '--users',
      '3',
      '--threads',
      '1',
      '--json',
      '--workspace',
      ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const m = r.json as Record<string, unknown>;
    expect(m.lora).toBe(lora);
    for (const k of ['hr@1', 'hr@3', 'hr@5', 'hr@10', 'ndcg@5', 'ndcg@10', 'mrr']) expect(typeof m[k]).toBe('number');
    expect(m['hr@10']).toBe(1);
  });

  it('exports the fine-tuning set as chat JSONL with the last training item as target', () => {
    const out = path.join(t.dir, 'sft.jsonl');
    const r = pulse(['rank', 'export-sft', '--dataset', ds.name, '--out', out, '--json', '--workspace', ws]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ file: out, examples: ds.users });
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { messages: Array<{ role: string; content: string }> });
    const w = Workspace.open(ws);
    try {
      const users = rankUsers(w.db, ds.datasetId);
      lines.forEach((l, i) => {
        expect(l.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
        const seq = users[i]!.sequence;
        const target = ds.titles[seq[seq.length - 3]!]!;
        expect(l.messages[2]!.content).toBe(`The recommendation is ${target}`);
        expect(l.messages[1]!.content).toContain(`- ${target}`);
        // Neither the validation nor the test item is in the prompt.
        for (const leak of seq.slice(-2)) expect(l.messages[1]!.content).not.toContain(ds.titles[leak]!);
        expect(l.messages[1]!.content.match(/^- /gm)).toHaveLength(10);
      });
    } finally {
      w.close();
    }
  });

  it("--with-rationales ranks with each user's rationale where there is one", () => {
    const w = Workspace.open(ws);
    try {
      for (const u of [0, 1]) {
        writeRationale(w.db, ds.datasetId, trainingTarget(w.db, ds.datasetId, u)!, { text: `User ${u} likes good quality.`, agentKind: 'human', agent: {} });
      }
    } finally {
      w.close();
    }
    const r = pulse([
      'rank',
      '--dataset',
      ds.name,
      '--model',
      model,
      '--users',
      '3',
      '--with-rationales',
      '--scoring',
      'generate',
      '--threads',
      '1',
      '--json',
      '--workspace',
      ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ users: 3, with_rationales: true, users_with_rationale: 2 });
    const w2 = Workspace.open(ws);
    try {
      expect(userRationale(w2.db, ds.datasetId, 1)!.text).toBe('User 1 likes good quality.');
      expect(userRationale(w2.db, ds.datasetId, 2)).toBeNull();
    } finally {
      w2.close();
    }
  });
});
