/**
 * Rationale generation for many users on one opened backend: renders the prompt of each target (each user's last
 * training item, or every training item with positions 'all'), fitted to the context, decodes `parallel`
 * targets at once (one sequence each), writes each result as a new version in its own transaction, and skips
 * targets that already have a version with the same generation key. Used by the
 * 'rationales.generate' job and the playground.
 */
import { createHash } from 'node:crypto';
import type { RationaleResult, SlmBackend } from '../models/backend.js';
import type { Db } from '../../platform/storage/database.js';
import type { ModelProvenance } from './generation-backend.js';
import { renderPrompt, type RenderedPrompt } from './prompt-renderer.js';
import { parseTemplate, type ParsedTemplate } from './prompt-template.js';
import { finishedTargets, targetKey, trainingTargets, writeRationale, type TargetPositions, type TrainingTarget } from './rationale-store.js';
import { SimilarUsers } from './similar-users.js';
import type { StoredTemplate } from './template-store.js';
import { loadItem, loadUserContext, type UserContext } from './user-context.js';

export interface GenerationSettings {
  temperature: number;
  topP?: number;
  topK?: number;
  /** New tokens at most (the paper: 150). */
  maxTokens: number;
  /** The rationale string's length bound in the JSON grammar (about 100 words). */
  maxChars: number;
  /** Base seed; each user's seed derives from it and the user's original id. */
  seed: number;
}

export const DEFAULT_SETTINGS: GenerationSettings = { temperature: 0.7, maxTokens: 150, maxChars: 600, seed: 0 };

/** Job params override the template's front matter, which overrides the paper's defaults. */
export function resolveSettings(t: ParsedTemplate, over: Partial<GenerationSettings> = {}): GenerationSettings {
  const s: GenerationSettings = { ...DEFAULT_SETTINGS, ...t.settings };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  return s;
}

/** Stable JSON (sorted keys) so equal settings always hash equally. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What makes two runs "the same": model identity, template hash and sampling settings. */
export function generationKey(model: ModelProvenance, templateHash: string, s: GenerationSettings): string {
  return createHash('sha256')
    .update(stable({ model: model.identity, template: templateHash, settings: s }))
    .digest('hex');
}

/** The sampling seed of one target: fixed by the settings' seed, the user and the target's position. */
export function targetSeed(base: number, userOriginalId: string, pos: number): number {
  return createHash('sha256').update(`${base}:${userOriginalId}:${pos}`).digest().readUInt32LE(0);
}

export interface GenerateOptions {
  datasetId: number;
  users: number[];
  /** Which training items of each user to explain (default 'last'). */
  positions?: TargetPositions;
  template: StoredTemplate;
  settings: GenerationSettings;
  backend: SlmBackend;
  model: ModelProvenance;
  contextSize: number | null;
  parallel: number;
  regenerate: boolean;
  /** Jobs whose versions count as "this run" when regenerating (the job and those it resumes). */
  runJobIds: number[];
  jobId: number | null;
  signal?: AbortSignal;
  isCancelled?: () => boolean;
  onProgress?: (p: GenerationProgress) => void;
  onRationale?: (r: { userIdx: number; rationaleId: number; versionId: number; text: string; completionTokens: number; shortened: boolean }) => void;
  onFailure?: (userIdx: number, err: Error) => void;
}

export interface GenerationProgress {
  total: number;
  generated: number;
  skipped: number;
  failed: number;
  completionTokens: number;
  elapsedMs: number;
  tokensPerSecond: number;
  usersPerSecond: number;
  etaSeconds: number | null;
}

export interface GenerationSummary extends GenerationProgress {
  shortened: number;
  repaired: number;
  generationKey: string;
  cancelled: boolean;
}

export interface PreparedPrompt {
  ctx: UserContext;
  rendered: RenderedPrompt;
  seed: number;
}

/** Renders one target's prompt for a backend (shared by the job and the playground; default: the last training item). */
export async function preparePrompt(
  db: Db,
  datasetId: number,
  userIdx: number,
  target: TrainingTarget | undefined,
  parsed: ParsedTemplate,
  settings: GenerationSettings,
  backend: SlmBackend | null,
  contextSize: number | null,
  similar: SimilarUsers | null,
): Promise<PreparedPrompt | null> {
  const ctx = loadUserContext(db, datasetId, userIdx, target);
  if (!ctx) return null;
  let similarItems = undefined;
  if (similar && parsed.variables.includes('similar_users')) {
    const seen = ctx.history.map((h) => h.item.idx);
    const all = db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ?').pluck().all(datasetId, userIdx) as number[];
    similarItems = similar.suggestedItems(userIdx, seen, all).map((i) => loadItem(db, datasetId, i));
  }
  const rendered = await renderPrompt(parsed, ctx, {
    similar: similarItems,
    fit: backend && contextSize ? { countTokens: (t) => backend.countTokens(t), contextSize, maxTokens: settings.maxTokens } : undefined,
  });
  return { ctx, rendered, seed: targetSeed(settings.seed, ctx.userOriginalId, ctx.target.pos) };
}

export async function generateForUsers(db: Db, o: GenerateOptions): Promise<GenerationSummary> {
  const parsed = parseTemplate(o.template.body);
  const key = generationKey(o.model, o.template.hash, o.settings);
  const done = o.regenerate ? finishedTargets(db, o.datasetId, key, o.runJobIds) : finishedTargets(db, o.datasetId, key);
  const all = o.users.flatMap((u) => trainingTargets(db, o.datasetId, u, o.positions ?? 'last'));
  const queue = all.filter((t) => !done.has(targetKey(t)));
  const similar = parsed.variables.includes('similar_users') ? new SimilarUsers(db, o.datasetId) : null;
  // Users without any training item have nothing to explain: skipped, as finished targets are.
  const noTarget = o.users.length - new Set(all.map((t) => t.userIdx)).size;
  const st = { generated: 0, skipped: all.length - queue.length + noTarget, failed: 0, completionTokens: 0, shortened: 0, repaired: 0 };
  const total = all.length + noTarget;
  const t0 = performance.now();
  let consecutiveFailures = 0;
  let fatal: Error | null = null;

  const progress = (): GenerationProgress => {
    const elapsedMs = performance.now() - t0;
    const processed = st.generated + st.failed;
    const usersPerSecond = elapsedMs > 0 ? (processed * 1000) / elapsedMs : 0;
    const left = queue.length - processed;
    return {
      total,
      generated: st.generated,
      skipped: st.skipped,
      failed: st.failed,
      completionTokens: st.completionTokens,
      elapsedMs,
      tokensPerSecond: elapsedMs > 0 ? (st.completionTokens * 1000) / elapsedMs : 0,
      usersPerSecond,
      etaSeconds: usersPerSecond > 0 ? left / usersPerSecond : null,
    };
  };
  o.onProgress?.(progress());

  let next = 0;
  const stop = () => fatal !== null || o.signal?.aborted === true || o.isCancelled?.() === true;
  const worker = async () => {
    while (!stop() && next < queue.length) {
      const target = queue[next++]!;
      const userIdx = target.userIdx;
      try {
        const p = await preparePrompt(db, o.datasetId, userIdx, target, parsed, o.settings, o.backend, o.contextSize, similar);
        if (!p) {
          st.skipped++; // no training interaction: nothing to explain
          continue;
        }
        const r: RationaleResult = await o.backend.generateRationale({
          prompt: p.rendered.user,
          system: p.rendered.system || undefined,
          maxChars: o.settings.maxChars,
          settings: { temperature: o.settings.temperature, topP: o.settings.topP, topK: o.settings.topK, maxTokens: o.settings.maxTokens, seed: p.seed },
          signal: o.signal,
        });
        if (r.finishReason === 'abort' || o.signal?.aborted) break; // cut by cancel: not a rationale
        const agent: Record<string, unknown> = {
          model: { name: o.model.name, fileHash: o.model.fileHash, file: o.model.file },
          ...(o.model.endpoint ? { endpoint: o.model.endpoint } : {}),
          template: { hash: o.template.hash, name: o.template.name },
          settings: o.settings,
          seed: p.seed,
          promptTokens: r.promptTokens,
          completionTokens: r.completionTokens,
          ms: Math.round(r.timings.totalMs),
          promptShortened: p.rendered.shortened,
          historyDropped: p.rendered.droppedHistory,
          finishReason: r.finishReason,
          repaired: r.repaired,
          mode: r.mode,
          output: r.text,
        };
        const v = writeRationale(db, o.datasetId, p.ctx.target, { text: r.rationale, agentKind: o.model.agentKind, agent, generationKey: key, jobId: o.jobId });
        st.generated++;
        st.completionTokens += r.completionTokens;
        if (p.rendered.shortened) st.shortened++;
        if (r.repaired) st.repaired++;
        consecutiveFailures = 0;
        o.onRationale?.({
          userIdx,
          rationaleId: v.rationaleId,
          versionId: v.id,
          text: r.rationale,
          completionTokens: r.completionTokens,
          shortened: p.rendered.shortened,
        });
      } catch (e) {
        if (o.signal?.aborted) break;
        st.failed++;
        consecutiveFailures++;
        o.onFailure?.(userIdx, e as Error);
        // The same error for every user (endpoint down, model unloaded) is the run's error, not N failures.
        if (consecutiveFailures >= 10 && st.generated === 0) fatal = e as Error;
      }
      o.onProgress?.(progress());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.parallel) }, worker));
  if (fatal) throw fatal;
  return { ...progress(), shortened: st.shortened, repaired: st.repaired, generationKey: key, cancelled: stop() };
}
