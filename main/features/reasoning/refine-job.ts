/**
 * The `rationales.refine` job: Tree-of-Thought refinement for each user. The SLM proposes one short step at a
 * time (JSON {"step"} with a bounded length, sampled with a seed per node); every chain is scored by the
 * cosine, in a trained Thought Space, between its text (rationale tower) and the user's behaviour text
 * (behaviour tower); the best chain is written as a new rationale version with agent 'refined', and the whole
 * tree is stored. The user sees only training data before the target (the leakage rule of the rationale record).
 * Resuming skips users whose tree this run already stored.
 */
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { latestVersionId, userIndices, writeRationale } from '../rationales/rationale-store.js';
import { loadUserContext, type UserContext } from '../rationales/user-context.js';
import { loadLocalModel } from '../models/runtime.js';
import type { SlmBackend } from '../models/backend.js';
import { scoreRationales, userBehaviourText } from '../space/space-embed.js';
import { readJsonStringField } from './qa-answer.js';
import { finishRefineRun, openRefineRun, refinedUsers, saveRefineTree } from './refine-store.js';
import { treeOfThought } from './tot.js';

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
  const runId = openRefineRun(db, ctx.jobId, ctx.resumedFrom?.jobId ?? null, {
    datasetId: p.datasetId,
    model: p.model,
    space: String(p.spaceId),
    settings,
  });
  const userIds = userIndices(db, p.datasetId, p.users || undefined);
  const done = refinedUsers(db, runId);
  const backend = await loadLocalModel({ modelPath: p.model, threads: p.threads, contextSize: 2048, parallel: p.parallel });
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
      const parent = latestVersionId(db, p.datasetId, userIdx, uctx.target.pos);
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
        saveRefineTree(db, runId, {
          userIdx,
          nodes: tree.nodes,
          bestNode: tree.bestNode,
          bestScore: tree.bestScore,
          text: tree.text,
          versionId: version.id,
          ms: performance.now() - tUser,
        });
      })();
      refined++;
      n++;
      ctx.event('refine.user', { runId, userIdx, bestScore: tree.bestScore, text: tree.text });
      ctx.progress({ done: n, total: userIds.length, unit: 'users', metrics: { bestScore: tree.bestScore } });
    }
  } finally {
    await backend.dispose();
  }
  const summary = finishRefineRun(db, runId);
  return {
    runId,
    users: summary.users,
    refined,
    skipped,
    meanBestScore: summary.meanBestScore,
    meanRootScore: summary.meanRootScore,
    nodes: nodesTotal,
    seconds: Math.round(performance.now() - t0) / 1000,
  };
};
