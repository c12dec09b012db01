import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRationale, trainingTarget } from '../../../main/rationales/rationale-store.js';
import { Workspace } from '../../../main/workspace/workspace.js';
import { pulse } from '../../support/cli.js';
import { writeTinyDataset, type TinyDataset } from '../../support/reasoning-fixtures.js';
import { tempDir } from '../../support/temp.js';
import { writeTinyModel } from '../../support/tiny-gguf.js';

const t = tempDir('pulse-refine-');
const ws = path.join(t.dir, 'ws');
let model: string;
let ds: TinyDataset;
let spaceId: number;

beforeAll(() => {
  model = writeTinyModel(t.dir).file;
  ds = writeTinyDataset(ws, { users: 12 });
  const w = Workspace.open(ws);
  try {
    for (let u = 0; u < ds.users; u++) {
      const target = trainingTarget(w.db, ds.datasetId, u)!;
      writeRationale(w.db, ds.datasetId, target, { text: `The user likes ${ds.titles[target.itemIdx]} for its good quality and style.`, agentKind: 'extractive', agent: { test: true } });
    }
  } finally {
    w.close();
  }
  const r = pulse(['space', 'train', '--dataset', ds.name, '--encoder', 'tfidf', '--epochs', '2', '--dim', '8', '--json', '--workspace', ws]);
  if (r.code !== 0) throw new Error(`space train failed: ${r.stderr}`);
  spaceId = (r.json as { space?: number; id?: number; spaceId?: number }).space ?? (r.json as { id?: number }).id ?? (r.json as { spaceId: number }).spaceId;
});
afterAll(t.cleanup);

describe('Tree-of-Thought refinement job', () => {
  it('pulse refine builds a small tree per user, scores chains in the Thought Space, stores the winner as a refined version', () => {
    const r = pulse([
      'refine', '--dataset', ds.name, '--model', model, '--space', String(spaceId), '--users', '2',
      '--depth', '2', '--branching', '2', '--beam', '1', '--step-chars', '12', '--threads', '1', '--parallel', '2', '--json', '--workspace', ws,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as { runId: number; users: number; refined: number; nodes: number; meanBestScore: number };
    expect(out).toMatchObject({ users: 2, refined: 2, nodes: 2 * (2 + 2) });

    const tr = pulse(['refine', 'tree', '--dataset', ds.name, '--user', '1', '--json', '--workspace', ws]);
    expect(tr.code, tr.stderr).toBe(0);
    const tree = tr.json as { nodes: Array<{ id: number; parent: number | null; depth: number; score: number; kept: boolean; step: string }>; bestNode: number; bestScore: number; bestChain: number[]; rationale: string; rationaleVersionId: number };
    expect(tree.nodes).toHaveLength(4);
    expect(tree.nodes.filter((n) => n.depth === 1 && n.kept)).toHaveLength(1);
    const lastDepth = tree.nodes.filter((n) => n.depth === 2);
    expect(tree.bestScore).toBe(Math.max(...lastDepth.map((n) => n.score)));
    expect(tree.bestChain).toHaveLength(2);
    expect(tree.rationale).toBe(tree.bestChain.map((i) => tree.nodes[i]!.step.trim()).filter(Boolean).join(' '));
    for (const n of tree.nodes) expect(n.score).toBeGreaterThanOrEqual(-1.0001);

    const w = Workspace.open(ws);
    try {
      const v = w.db.prepare('SELECT v.text, v.agent_kind, v.agent, v.parent_version_id, v.version FROM rationale_versions v WHERE v.id = ?').get(tree.rationaleVersionId) as {
        text: string;
        agent_kind: string;
        agent: string;
        parent_version_id: number | null;
        version: number;
      };
      expect(v.agent_kind).toBe('refined');
      expect(v.text).toBe(tree.rationale);
      expect(v.version).toBe(2);
      expect(v.parent_version_id).not.toBeNull();
      expect(JSON.parse(v.agent)).toMatchObject({ method: 'tree-of-thought', depth: 2, branching: 2, beam: 1, space: { id: spaceId } });
    } finally {
      w.close();
    }
  }, 600_000);

  it('refuses a space that does not exist, naming the ones there are', () => {
    const r = pulse(['refine', '--dataset', ds.name, '--model', model, '--space', 'nope', '--json', '--workspace', ws]);
    expect(r.code).toBe(1);
    expect((r.json as { error: { hint: string } }).error.hint).toContain(`${spaceId} (`);
  });
});
