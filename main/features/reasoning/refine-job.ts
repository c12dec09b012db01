/**
 * The `rationales.refine` job: Tree-of-Thought refinement for each user. The SLM proposes one short step at a
 * time (JSON {"step"} with a bounded length, sampled with a seed per node); every chain is scored by the
 * cosine, in a trained Thought Space, between its text (rationale tower) and the user's behaviour text
 * (behaviour tower); the best chain is written as a new rationale version with agent 'refined', and the whole
 * tree is stored. The user sees only training data before the target (the leakage rule of the rationale record).
 * Resuming skips users whose tree this run already stored.
 */
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { writeRationale } from '../rationales/rationale-store.js';
import { loadUserContext, type UserContext } from '../rationales/user-context.js';
import { loadLocalModel } from '../models/runtime.js';
import type { SlmBackend } from '../models/backend.js';
import { scoreRationales, userBehaviourText } from '../space/space-embed.js';
import { readJsonStringField } from './qa-answer.js';
import { treeOfThought, type TotNode } from './tot.js';

export interface RefineJobParams {
  datasetId: number;
  dataset: string;
  model: string;
  spaceId: number;
  spaceName: string;
  users?: number;
  depth: number;
  branching: number;
  beam: number;
  stepChars: number;
  temperature: number;
  seed: number;
  threads?: number;
  parallel: number;
}

export interface RefineJobResult {
  runId: number;
  users: number;
  refined: number;
  skipped: number;
  meanBestScore: number;
  meanRootScore: number;
  nodes: number;
  seconds: number;
}

const STEP_SYSTEM = 'You are an expert in consumer psychology and recommender systems. You reason one short step at a time.';

export function stepPrompt(ctx: UserContext, chain: string[]): string {
  const hist = ctx.history
    .slice(-10)
    .map((h, i) => `${i + 1}. ${h.item.title}${h.item.brand ? ` (${h.item.brand})` : ''}${h.rating !== null ? ` - rated ${h.rating}/5` : ''}`);
  return [
    'A user bought, oldest first:',
    ...(hist.length ? hist : ['(no earlier purchases)']),
    `Then they chose: ${ctx.targetItem.title}${ctx.targetItem.brand ? ` (${ctx.targetItem.brand})` : ''}`,
    '',
    'We explain, one short step at a time, why they chose it: their latent preferences and what drove the choice.',
    chain.length ? `Steps so far:\n${chain.map((s, i) => `${i + 1}. ${s}`).join('\n')}` : 'No steps yet.',
    'Write the next step: one short sentence that adds something new. Reply in JSON: {"step": "..."}',
  ].join('\n');
}

function stepSchema(maxChars: number) {
  return { type: 'object', properties: { step: { type: 'string', maxLength: maxChars } }, required: ['step'], additionalProperties: false };
}

/** Seeds differ per user, parent and branch, and repeat across runs with the same settings. */
function nodeSeed(seed: number, userIdx: number, parentKey: number, branch: number): number {
  let h = (seed * 1_000_003) ^ (userIdx * 7919) ^ ((parentKey + 2) * 104_729) ^ (branch * 15_485_863);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

export async function proposeSteps(
  backend: SlmBackend,
  ctx: UserContext,
  chain: string[],
  n: number,
  key: number,
  p: Pick<RefineJobParams, 'stepChars' | 'temperature' | 'seed'>,
): Promise<string[]> {
  const prompt = stepPrompt(ctx, chain);
  const rs = await backend.generateMany(
    Array.from({ length: n }, (_, b) => ({
      prompt,
      system: STEP_SYSTEM,
      jsonSchema: stepSchema(p.stepChars),
      settings: { temperature: p.temperature, topP: 0.95, seed: nodeSeed(p.seed, ctx.userIdx, key, b), maxTokens: 24 + 2 * p.stepChars },
    })),
  );
  return rs.map((r) => (readJsonStringField(r.text, 'step') ?? '').trim());
}

export const run: JobHandler<RefineJobParams, RefineJobResult> = async (ctx) => {
  const p = ctx.params;
  const t0 = performance.now();
  const ws = ctx.workspace;
  const db = ws.db;
  const settings = { depth: p.depth, branching: p.branching, beam: p.beam, stepChars: p.stepChars, temperature: p.temperature, seed: p.seed };
  let runId: number | null = null;
  if (ctx.resumedFrom) {
    const prev = db.prepare('SELECT id FROM refine_runs WHERE job_id = ?').get(ctx.resumedFrom.jobId) as { id: number } | undefined;
    if (prev) {
      runId = prev.id;
      db.prepare("UPDATE refine_runs SET job_id = ?, state = 'running' WHERE id = ?").run(ctx.jobId, runId);
    }
  }
  runId ??= Number(
    db
      .prepare('INSERT INTO refine_runs(job_id, dataset_id, model, space, settings) VALUES (?, ?, ?, ?, ?)')
      .run(ctx.jobId, p.datasetId, p.model, String(p.spaceId), JSON.stringify(settings)).lastInsertRowid,
  );
  const userIds = db
    .prepare('SELECT idx FROM users WHERE dataset_id = ? ORDER BY idx' + (p.users ? ' LIMIT ?' : ''))
    .pluck()
    .all(...(p.users ? [p.datasetId, p.users] : [p.datasetId])) as number[];
  const done = new Set(db.prepare('SELECT user_idx FROM refine_trees WHERE run_id = ?').pluck().all(runId) as number[]);
  const backend = await loadLocalModel({ modelPath: p.model, threads: p.threads, contextSize: 2048, parallel: p.parallel });
  const insertTree = db.prepare(
    'INSERT OR REPLACE INTO refine_trees(run_id, user_idx, tree, best_node, best_score, rationale_text, rationale_version_id, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let refined = 0;
  let skipped = 0;
  let nodesTotal = 0;
  let n = done.size;
  try {
    for (const userIdx of userIds) {
      if (done.has(userIdx)) continue;
      ctx.throwIfCancelled();
      const uctx = loadUserContext(db, p.datasetId, userIdx);
      if (!uctx) {
        skipped++;
        n++;
        continue;
      }
      const tUser = performance.now();
      const behaviour = userBehaviourText(ws, p.datasetId, userIdx, uctx.target.pos);
      const tree = await treeOfThought(
        { depth: p.depth, branching: p.branching, beam: p.beam },
        {
          propose: (chain, k, key) => proposeSteps(backend, uctx, chain, k, key, p),
          score: (texts) =>
            scoreRationales(
              ws,
              p.spaceId,
              behaviour,
              texts.map((t) => t || ' '),
            ),
          throwIfCancelled: () => ctx.throwIfCancelled(),
          onDepth: (depth, born) => ctx.event('refine.depth', { runId, userIdx, depth, nodes: born }),
        },
      );
      nodesTotal += tree.nodes.length;
      const parent = db
        .prepare(
          'SELECT v.id FROM rationales r JOIN rationale_versions v ON v.rationale_id = r.id WHERE r.dataset_id = ? AND r.user_idx = ? AND r.target_pos = ? ORDER BY v.version DESC LIMIT 1',
        )
        .pluck()
        .get(p.datasetId, userIdx, uctx.target.pos) as number | undefined;
      db.transaction(() => {
        const version = writeRationale(db, p.datasetId, uctx.target, {
          text: tree.text,
          agentKind: 'refined',
          agent: {
            model: p.model,
            space: { id: p.spaceId, name: p.spaceName },
            method: 'tree-of-thought',
            ...settings,
            score: tree.bestScore,
            refineRun: runId,
          },
          parentVersionId: parent ?? null,
          jobId: ctx.jobId,
        });
        insertTree.run(
          runId,
          userIdx,
          JSON.stringify(tree.nodes satisfies TotNode[]),
          tree.bestNode,
          tree.bestScore,
          tree.text,
          version.id,
          performance.now() - tUser,
        );
      })();
      refined++;
      n++;
      ctx.event('refine.user', { runId, userIdx, bestScore: tree.bestScore, text: tree.text });
      ctx.progress({ done: n, total: userIds.length, unit: 'users', metrics: { bestScore: tree.bestScore } });
    }
  } finally {
    await backend.dispose();
  }
  db.prepare("UPDATE refine_runs SET state = 'done', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(runId);
  const agg = db.prepare('SELECT COUNT(*) AS c, AVG(best_score) AS best FROM refine_trees WHERE run_id = ?').get(runId) as { c: number; best: number | null };
  // Root-level mean: the best single-step chain per user, what refinement improves on.
  const trees = db.prepare('SELECT tree FROM refine_trees WHERE run_id = ?').pluck().all(runId) as string[];
  const rootBest = trees.map((t) => Math.max(...(JSON.parse(t) as TotNode[]).filter((x) => x.depth === 1).map((x) => x.score)));
  return {
    runId,
    users: agg.c,
    refined,
    skipped,
    meanBestScore: agg.best ?? 0,
    meanRootScore: rootBest.length ? rootBest.reduce((a, b) => a + b, 0) / rootBest.length : 0,
    nodes: nodesTotal,
    seconds: Math.round(performance.now() - t0) / 1000,
  };
};
