/**
 * The 'rationales.generate' job: rationales for the first N users in dataset order, explaining each user's last
 * TRAINING item (or every training item with positions 'all'), from a local GGUF model or an OpenAI-compatible endpoint. Progress reports users
 * done, tokens per second and ETA; cancel stops between tokens; after a crash or kill a new run (or a resume)
 * skips every user already finished with the same model, template and settings.
 */
import { jobChain } from '../../platform/jobs/job-chain.js';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { JobCancelled } from '../../platform/jobs/job-context.js';
import { UserError } from '../../base/errors.js';
import { openGenerationBackend, type GenerationTarget } from './generation-backend.js';
import { generateForUsers, resolveSettings, type GenerationSettings } from './generator.js';
import { parseTemplate } from './prompt-template.js';
import { userIndices } from './rationale-store.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { ensureDefaultTemplate, getTemplate } from './template-store.js';

export interface GenerateParams {
  dataset: string;
  /** GGUF path (already resolved from a registered model id by the caller). */
  model?: string;
  endpoint?: { url: string; model: string };
  users?: number;
  positions?: 'last' | 'all';
  parallel?: number;
  threads?: number;
  contextSize?: number;
  gpu?: boolean;
  /** Template hash, hash prefix or name; default: the built-in pulse-rationale. */
  template?: string;
  regenerate?: boolean;
  settings?: Partial<GenerationSettings>;
}

export interface GenerateResult {
  dataset: string;
  users: number;
  generated: number;
  skipped: number;
  failed: number;
  tokensPerSecond: number;
  usersPerSecond: number;
  completionTokens: number;
  shortened: number;
  repaired: number;
  seconds: number;
  loadSeconds: number;
  model: string;
  agentKind: 'slm' | 'endpoint';
  template: string;
  generationKey: string;
  parallel: number;
}

export const run: JobHandler<GenerateParams, GenerateResult> = async (ctx) => {
  const p = ctx.params;
  const db = ctx.workspace.db;
  const ds = datasetByName(db, p.dataset);
  const template = p.template ? getTemplate(db, p.template) : ensureDefaultTemplate(db);
  const settings = resolveSettings(parseTemplate(template.body), p.settings);
  const users = userIndices(db, ds.id, p.users);
  const parallel = Math.max(1, p.parallel ?? 1);
  if (!p.model && !p.endpoint) throw new UserError('Give a model (a GGUF path or model id) or an endpoint.', { code: 'bad_request' });

  const abort = new AbortController();
  const poll = setInterval(() => ctx.cancelled && abort.abort(), 50);
  const tLoad = performance.now();
  ctx.progress({ done: 0, total: users.length, unit: 'users', message: 'loading the model' });
  const target: GenerationTarget = p.endpoint
    ? { kind: 'endpoint', url: p.endpoint.url, model: p.endpoint.model, parallel, contextSize: p.contextSize }
    : { kind: 'local', modelPath: p.model!, threads: p.threads, contextSize: p.contextSize, parallel, gpu: p.gpu };
  let opened;
  try {
    opened = await openGenerationBackend(ctx.workspace, target, abort.signal);
  } catch (e) {
    clearInterval(poll);
    ctx.throwIfCancelled();
    throw e;
  }
  const loadSeconds = (performance.now() - tLoad) / 1000;
  let warned = 0;
  try {
    const summary = await generateForUsers(db, {
      datasetId: ds.id,
      users,
      positions: p.positions,
      template,
      settings,
      backend: opened.backend,
      model: opened.provenance,
      contextSize: opened.contextSize,
      parallel,
      regenerate: Boolean(p.regenerate),
      runJobIds: jobChain(db, ctx.jobId),
      jobId: ctx.jobId,
      signal: abort.signal,
      isCancelled: () => ctx.cancelled,
      onProgress: (g) =>
        ctx.progress({
          done: g.generated + g.skipped + g.failed,
          total: g.total,
          unit: p.positions === 'all' ? 'targets' : 'users',
          rate: g.usersPerSecond,
          etaSeconds: g.etaSeconds ?? undefined,
          message: `${g.tokensPerSecond.toFixed(1)} tokens/s`,
          metrics: { generated: g.generated, skipped: g.skipped, failed: g.failed, tokensPerSecond: g.tokensPerSecond },
        }),
      onRationale: (r) => ctx.event('rationale', r),
      onFailure: (u, e) => {
        if (warned++ < 5) ctx.log(`user ${u}: ${e.message}`, 'warn');
      },
    });
    if (summary.cancelled || ctx.cancelled) throw new JobCancelled();
    return {
      dataset: ds.name,
      users: users.length,
      generated: summary.generated,
      skipped: summary.skipped,
      failed: summary.failed,
      tokensPerSecond: summary.tokensPerSecond,
      usersPerSecond: summary.usersPerSecond,
      completionTokens: summary.completionTokens,
      shortened: summary.shortened,
      repaired: summary.repaired,
      seconds: summary.elapsedMs / 1000,
      loadSeconds,
      model: opened.provenance.name,
      agentKind: opened.provenance.agentKind,
      template: template.hash,
      generationKey: summary.generationKey,
      parallel,
    };
  } finally {
    clearInterval(poll);
    await opened.backend.dispose();
  }
};
