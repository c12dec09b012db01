import path from 'node:path';
import { UserError } from '../app/errors.js';
import type { Handlers } from '../host/handler-types.js';
import type { Host } from '../host/host.js';
import { writeDemoQaFile } from './demo-qa.js';
import { evaluateHotpot } from './hotpot-eval.js';
import { loadHotpotFile, loadHotpotPredictions } from './hotpot-file.js';
import { resolveModelFile } from './model-ref.js';
import type { QaJobParams } from './qa-job.js';
import { listQaRuns, queryQaResults } from './qa-store.js';
import type { RankJobParams } from './rank-job.js';
import { exportSft } from './sft-export.js';
import { datasetInfo } from '../thought-space/space-data.js';

/** The demo QA file lives beside the demo dataset's files; written on first use (same seed, same file). */
export function demoQaFile(host: Host): string {
  return writeDemoQaFile(host.workspace.artifactDir('demo'));
}

function qaFile(host: Host, i: { file?: string; demo: boolean }): string {
  if (i.file) return path.resolve(i.file);
  if (i.demo) return demoQaFile(host);
  throw new UserError('Give a HotpotQA-form file, or ask for the demo QA file.', { code: 'bad_request' });
}

const notYet = (): never => {
  throw new UserError('Not implemented yet', { code: 'not_implemented' });
};

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
  'qa.ask': notYet,
  'rank.run': (i, host) => {
    const ds = datasetInfo(host.workspace.db, i.dataset);
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
    const ds = datasetInfo(host.workspace.db, i.dataset);
    return exportSft(host.workspace.db, { datasetId: ds.id, out: i.out, history: i.history, candidates: i.candidates, users: i.users, seed: i.seed, requireRationale: i.requireRationale });
  },
  'refine.run': notYet,
  'refine.tree': notYet,
};
