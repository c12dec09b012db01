/**
 * The playground: runs a template on one user and returns the exact prompt, the raw output, token counts and
 * timings. Writes no rationale. The model stays loaded between runs (same model and options) so editing a
 * template and running again is quick.
 */
import { UserError } from '../../base/errors.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { openGenerationBackend, type GenerationTarget, type OpenedBackend } from './generation-backend.js';
import { preparePrompt, resolveSettings, type GenerationSettings } from './generator.js';
import { parseTemplate, templateHash } from './prompt-template.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { SimilarUsers } from './similar-users.js';
import { ensureDefaultTemplate, getTemplate } from './template-store.js';

export interface PlaygroundParams {
  dataset: string;
  user: number;
  template?: string;
  body?: string;
  settings?: Partial<GenerationSettings>;
  target: GenerationTarget;
}

let cached: { key: string; opened: Promise<OpenedBackend> } | null = null;

async function backendFor(ws: Workspace, t: GenerationTarget): Promise<{ opened: OpenedBackend; loadMs: number }> {
  const key = JSON.stringify({ ws: ws.dir, ...t });
  const t0 = performance.now();
  if (!cached || cached.key !== key) {
    const old = cached;
    cached = { key, opened: openGenerationBackend(ws, t) };
    cached.opened.catch(() => (cached = null));
    if (old) await (await old.opened.catch(() => null))?.backend.dispose();
  }
  const opened = await cached.opened;
  return { opened, loadMs: performance.now() - t0 };
}

/** Unloads the playground's model (workspace switch, shutdown). */
export async function disposePlayground(): Promise<void> {
  const c = cached;
  cached = null;
  if (c) await (await c.opened.catch(() => null))?.backend.dispose();
}

export async function runPlayground(ws: Workspace, p: PlaygroundParams) {
  const db = ws.db;
  const ds = datasetByName(db, p.dataset);
  const stored = p.body ? null : p.template ? getTemplate(db, p.template) : ensureDefaultTemplate(db);
  const body = p.body ?? stored!.body;
  const parsed = parseTemplate(body);
  const settings = resolveSettings(parsed, p.settings);
  const { opened, loadMs } = await backendFor(ws, p.target);
  const tRender = performance.now();
  const similar = parsed.variables.includes('similar_users') ? new SimilarUsers(db, ds.id) : null;
  const prep = await preparePrompt(db, ds.id, p.user, undefined, parsed, settings, opened.backend, opened.contextSize, similar);
  if (!prep) throw new UserError(`User ${p.user} has no training interaction to explain.`, { code: 'no_target' });
  const renderMs = performance.now() - tRender;
  const tGen = performance.now();
  const r = await opened.backend.generateRationale({
    prompt: prep.rendered.user,
    system: prep.rendered.system || undefined,
    maxChars: settings.maxChars,
    settings: { temperature: settings.temperature, topP: settings.topP, topK: settings.topK, maxTokens: settings.maxTokens, seed: prep.seed },
  });
  return {
    user: { idx: p.user, originalId: prep.ctx.userOriginalId },
    target: { idx: prep.ctx.target.itemIdx, originalId: prep.ctx.targetItem.originalId, pos: prep.ctx.target.pos, title: prep.ctx.targetItem.title },
    template: { hash: stored?.hash ?? templateHash(body), name: stored?.name ?? parsed.name },
    prompt: {
      system: prep.rendered.system,
      user: prep.rendered.user,
      shortened: prep.rendered.shortened,
      historyDropped: prep.rendered.droppedHistory,
      historyItems: prep.ctx.history.length,
    },
    output: r.text,
    rationale: r.rationale,
    finishReason: r.finishReason,
    repaired: r.repaired,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    seed: prep.seed,
    settings: settings as unknown as Record<string, number>,
    timings: { loadMs, renderMs, generateMs: performance.now() - tGen, tokensPerSecond: r.timings.tokensPerSecond },
    model: { name: opened.provenance.name, agentKind: opened.provenance.agentKind, fileHash: opened.provenance.fileHash },
  };
}
