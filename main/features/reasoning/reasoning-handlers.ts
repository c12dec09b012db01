import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { Handlers, Host } from '../../platform/host/host.js';
import { writeDemoQaFile } from './demo-qa.js';
import { evaluateHotpot } from './hotpot-eval.js';
import { loadHotpotFile, loadHotpotPredictions } from './hotpot-file.js';
import { resolveModelFile } from './model-ref.js';
import type { QaJobParams } from './qa-job.js';
import { listQaRuns, queryQaResults } from './qa-store.js';
import type { RankJobParams } from './rank-job.js';
import { exportSft } from './sft-export.js';
import type { RefineJobParams } from './refine-job.js';
import { readRefineTree, resolveSpace } from './refine-store.js';
import type { AskJobParams } from './ask-job.js';
import { assertUser, datasetByName } from '../datasets/dataset-ref.js';

/** The demo QA file lives beside the demo dataset's files; written on first use (same seed, same file). */
export function demoQaFile(host: Host): string {
  return writeDemoQaFile(host.workspace.artifactDir('demo'));
}

function qaFile(host: Host, i: { file?: string; demo: boolean }): string {
  if (i.file) return path.resolve(i.file);
  if (i.demo) return demoQaFile(host);
  throw new UserError('Give a HotpotQA-form file, or ask for the demo QA file.', { code: 'bad_request' });
}

export const reasoningHandlers: Handlers<
  'qa.load' | 'qa.score' | 'qa.run' | 'qa.runs' | 'qa.results' | 'qa.ask' | 'rank.run' | 'rank.exportSft' | 'refine.run' | 'refine.tree'
> = {
  'qa.load': (i, host) => {
    const file = qaFile(host, i);
    const qs = loadHotpotFile(file);
    return {
      file,
      total: qs.length,
      questions: qs.slice(i.offset, i.offset + i.limit).map((q) => ({
        _id: q._id,
        question: q.question,
        answer: q.answer,
        type: q.type ?? null,
        paragraphs: q.context.length,
        supportingFacts: q.supporting_facts.length,
      })),
    };
  },
  'qa.score': (i) => evaluateHotpot(loadHotpotPredictions(i.predictions), loadHotpotFile(i.gold)),
  'qa.run': (i, host) => {
    const file = qaFile(host, i);
    loadHotpotFile(file); // fail here, before a job starts, on a bad file
    const model = resolveModelFile(i.model, host.workspace.modelsDir);
    const params: QaJobParams = {
      file,
      model,
      reasoning: i.reasoning,
      threads: i.threads,
      limit: i.limit,
      contextSize: i.contextSize,
      maxAnswerChars: i.maxAnswerChars,
      maxReasoningChars: i.maxReasoningChars,
      parallel: i.parallel,
      label: i.label,
    };
    const title = `QA ${path.basename(file)} ${i.reasoning ? 'with' : 'without'} reasoning (${path.basename(model)})`;
    return { jobId: host.jobs.start('qa.run', params, title).id };
  },
  'qa.runs': (_i, host) => ({ runs: listQaRuns(host.workspace.db) }),
  'qa.results': (i, host) => queryQaResults(host.workspace.db, i),
  'qa.ask': (i, host) => {
    const db = host.workspace.db;
    const ds = datasetByName(db, i.dataset);
    assertUser(db, ds, i.user);
    const params: AskJobParams = {
      datasetId: ds.id,
      dataset: ds.name,
      userIdx: i.user,
      question: i.question,
      model: resolveModelFile(i.model, host.workspace.modelsDir),
      spaceId: i.space ? resolveSpace(db, i.space).id : null,
      withRationales: i.withRationales,
      nearest: i.nearest,
      history: i.history,
      maxTokens: i.maxTokens,
      threads: i.threads,
      label: i.label,
    };
    return { jobId: host.jobs.start('qa.ask', params, `Ask about user ${i.user} of ${ds.name}`).id };
  },
  'rank.run': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    const params: RankJobParams = {
      datasetId: ds.id,
      dataset: ds.name,
      model: resolveModelFile(i.model, host.workspace.modelsDir),
      lora: i.lora ? resolveModelFile(i.lora, host.workspace.modelsDir, 'LoRA adapter') : null,
      loraScale: i.loraScale,
      candidates: i.candidates,
      history: i.history,
      users: i.users,
      scoring: i.scoring,
      withRationales: i.withRationales,
      seed: i.seed,
      threads: i.threads,
      contextSize: i.contextSize,
      maxTokens: i.maxTokens,
    };
    const title = `Rank ${ds.name}: ${i.candidates} candidates, ${i.scoring}${i.withRationales ? ', with rationales' : ''}${i.lora ? ', LoRA' : ''}`;
    return { jobId: host.jobs.start('rank.run', params, title).id };
  },
  'rank.exportSft': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    return exportSft(host.workspace.db, {
      datasetId: ds.id,
      out: i.out,
      history: i.history,
      candidates: i.candidates,
      users: i.users,
      seed: i.seed,
      requireRationale: i.requireRationale,
    });
  },
  'refine.run': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    const space = resolveSpace(host.workspace.db, i.space);
    const params: RefineJobParams = {
      datasetId: ds.id,
      dataset: ds.name,
      model: resolveModelFile(i.model, host.workspace.modelsDir),
      spaceId: space.id,
      spaceName: space.name,
      users: i.users,
      depth: i.depth,
      branching: i.branching,
      beam: i.beam,
      stepChars: i.stepChars,
      temperature: i.temperature,
      seed: i.seed,
      threads: i.threads,
      parallel: i.parallel,
    };
    const title = `Refine ${ds.name} (Tree-of-Thought ${i.depth}x${i.branching}, beam ${i.beam}, space ${space.name})`;
    return { jobId: host.jobs.start('rationales.refine', params, title).id };
  },
  'refine.tree': (i, host) => {
    try {
      return readRefineTree(host.workspace.db, datasetByName(host.workspace.db, i.dataset), i.user, i.runId);
    } catch (e) {
      // "Not refined yet" is an answer, not an error (a dataset that does not exist still is one).
      if (e instanceof UserError && e.code === 'not_found' && /refinement tree/.test(e.message)) return null;
      throw e;
    }
  },
};
