import { UserError } from '../../../base/errors.js';
import type { QualityRunResult } from '../../../features/review/quality.js';
import { followJob, int, required, str, type Command } from '../cli-kit.js';

export const reviewStatsCmd: Command = {
  name: 'review stats',
  summary: 'Review progress of a dataset: statuses, quality flags, per-annotator progress',
  usage: 'pulse review stats --dataset NAME [--json]',
  options: { dataset: { type: 'string' } },
  run: (ctx, v) => ctx.host().invoke('review.stats', { dataset: required(v, 'dataset', 'pulse review stats --dataset NAME') }),
};

export const reviewAgreementCmd: Command = {
  name: 'review agreement',
  summary: "Inter-annotator agreement: Cohen's / Fleiss' kappa, edit distance and token F1 of edits",
  usage: 'pulse review agreement --dataset NAME [--json]',
  options: { dataset: { type: 'string' } },
  run: (ctx, v) => ctx.host().invoke('review.agreement', { dataset: required(v, 'dataset', 'pulse review agreement --dataset NAME') }),
};

export const reviewMergeCmd: Command = {
  name: 'review merge',
  summary: 'Merge an export (rationales, versions, annotators, decisions) from another workspace; idempotent',
  usage: 'pulse review merge FILE [--dataset NAME] [--json]',
  options: { dataset: { type: 'string' } },
  run: (ctx, v, [file]) => {
    if (!file)
      throw new UserError('Give the JSONL file to merge (from `pulse rationales export`).', {
        hint: 'Usage: pulse review merge FILE [--dataset NAME] [--json]',
      });
    return ctx.host().invoke('review.merge', { file, dataset: str(v, 'dataset') });
  },
};

export const reviewAssignCmd: Command = {
  name: 'review assign',
  summary: 'Assign the rationales to annotators, each record to --overlap of them',
  usage: 'pulse review assign --dataset NAME --annotators A,B,C [--overlap K] [--only-pending] [--json]',
  options: { dataset: { type: 'string' }, annotators: { type: 'string' }, overlap: { type: 'string' }, 'only-pending': { type: 'boolean' } },
  run: (ctx, v) => {
    const usage = 'pulse review assign --dataset NAME --annotators A,B,C [--overlap K] [--only-pending]';
    const annotators = required(v, 'annotators', usage)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return ctx
      .host()
      .invoke('review.assign', { dataset: required(v, 'dataset', usage), annotators, overlap: int(v, 'overlap', 1), onlyPending: v['only-pending'] === true });
  },
};

export const reviewQualityCmd: Command = {
  name: 'review quality',
  summary: 'Compute quality flags (invalid, length, leakage, unknown items, near-duplicates) for rationale versions',
  usage: 'pulse review quality --dataset NAME [--recompute] [--json]',
  options: { dataset: { type: 'string' }, recompute: { type: 'boolean' } },
  async run(ctx, v) {
    const { jobId } = await ctx
      .host()
      .invoke('review.quality', { dataset: required(v, 'dataset', 'pulse review quality --dataset NAME'), recompute: v.recompute === true });
    return { ...(await followJob<QualityRunResult>(ctx, jobId)), job: jobId };
  },
};

export const reviewDecideCmd: Command = {
  name: 'review decide',
  summary: 'Record a decision on a rationale from a script (accepted, rejected, flagged; edited with --text)',
  usage: 'pulse review decide --id N --annotator NAME --decision accepted|edited|rejected|flagged [--text T] [--reason R] [--comment C] [--json]',
  options: {
    id: { type: 'string' },
    annotator: { type: 'string' },
    decision: { type: 'string' },
    text: { type: 'string' },
    reason: { type: 'string' },
    comment: { type: 'string' },
  },
  async run(ctx, v) {
    const usage = reviewDecideCmd.usage;
    const id = int(v, 'id');
    if (id === undefined) throw new UserError('--id is required.', { hint: `Usage: ${usage}` });
    const annotator = required(v, 'annotator', usage);
    const record = await ctx.host().invoke('review.get', { id, annotator });
    const r = await ctx.host().invoke('review.decide', {
      id,
      annotator,
      decision: required(v, 'decision', usage) as 'accepted',
      versionId: record.currentVersionId,
      text: str(v, 'text'),
      reason: str(v, 'reason'),
      comment: str(v, 'comment'),
    });
    return { decision: r.decision, status: r.status };
  },
};

export const REVIEW_COMMANDS: Command[] = [reviewStatsCmd, reviewAgreementCmd, reviewMergeCmd, reviewAssignCmd, reviewQualityCmd, reviewDecideCmd];
