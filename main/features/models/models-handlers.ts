/**
 * Thin handlers for the Models view, CLI and server over the SLM runtime: the registry (main/features/models/model-registry),
 * GGUF metadata and memory fit, the catalog, downloads (as jobs), one loaded local model, and the endpoint
 * settings (URL and model in the workspace; the API key in the secret store, never the workspace).
 */
import path from 'node:path';
import fs from 'node:fs';
import { UserError } from '../../base/errors.js';
import type { Handlers, Host } from '../../platform/host/host.js';
import { readCatalog } from './catalog.js';
import { EndpointBackend } from './endpoint-backend.js';
import { readGgufInfo, type GgufModelInfo } from './gguf-info.js';
import { estimateMemoryFit } from './memory-fit.js';
import { ModelRegistry, type RegisteredModel } from './model-registry.js';
import type { LocalGgufBackend } from './runtime.js';
import { ENDPOINT_API_KEY, sharedSecretStore } from './secret-store.js';

const DEFAULT_CONTEXT = 4096;
const ENDPOINT_SETTING = 'models.endpoint';
const LEAVES_MACHINE = 'Prompts sent to an endpoint (user histories, item text) leave this machine.';

const secretStore = sharedSecretStore;

interface Loaded {
  backend: LocalGgufBackend;
  info: { id: number | null; name: string; path: string; threads: number; contextSize: number; parallel: number; gpu: boolean; loadMs: number };
}
let loaded: Loaded | null = null;

function fitOf(meta: Pick<GgufModelInfo, 'fileBytes' | 'kvBytesPerToken'>, contextSize = DEFAULT_CONTEXT, sequences = 1) {
  const f = estimateMemoryFit(meta, { contextSize, sequences });
  return {
    verdict: f.verdict,
    needBytes: f.needBytes,
    availableBytes: f.availableBytes,
    totalBytes: f.totalBytes,
    contextSize: f.contextSize,
    sequences: f.sequences,
    explanation: f.explanation,
  };
}

function entry(m: RegisteredModel, stale: Map<number, 'missing' | 'changed'>) {
  return { ...m, fit: fitOf(m.metadata), stale: stale.get(m.id) ?? null };
}

const registry = (host: Host) => new ModelRegistry(host.workspace.db);

function endpointConfig(host: Host): { url: string | null; model: string | null } {
  return host.workspace.getSetting<{ url: string | null; model: string | null }>(ENDPOINT_SETTING, { url: null, model: null });
}

async function endpointView(host: Host) {
  const c = endpointConfig(host);
  return { ...c, hasApiKey: await secretStore().has(ENDPOINT_API_KEY), keyPersistent: secretStore().persistent, warning: LEAVES_MACHINE };
}

/** Unloads the model held by the models view (workspace switch, shutdown). */
export async function unloadModel(): Promise<void> {
  const l = loaded;
  loaded = null;
  await l?.backend.dispose();
}

export const modelsHandlers: Handlers<
  | 'models.list'
  | 'models.add'
  | 'models.remove'
  | 'models.info'
  | 'models.load'
  | 'models.unload'
  | 'models.catalog'
  | 'models.download'
  | 'models.downloadCancel'
  | 'models.endpoint'
  | 'models.endpointConfigure'
> = {
  'models.list': (_i, host) => {
    const reg = registry(host);
    const stale = new Map(reg.stale().map((s) => [s.model.id, s.reason] as const));
    return { models: reg.list().map((m) => entry(m, stale)), loaded: loaded?.info ?? null };
  },
  'models.add': async (i, host) => {
    const reg = registry(host);
    const abs = path.resolve(i.path);
    if (!fs.existsSync(abs)) throw new UserError(`No such file or folder: ${abs}`, { file: abs, code: 'not_found' });
    const r = fs.statSync(abs).isDirectory() ? await reg.addFolder(abs) : { added: [await reg.addFile(abs, { name: i.name })], skipped: [] };
    return { added: r.added.map((m) => entry(m, new Map())), skipped: r.skipped };
  },
  'models.remove': async (i, host) => {
    if (loaded?.info.id === i.id) await unloadModel();
    if (!registry(host).remove(i.id)) throw new UserError(`There is no model ${i.id}.`, { code: 'not_found' });
    return { ok: true as const };
  },
  'models.info': async (i, host) => {
    const reg = registry(host);
    const registered = i.id ? reg.get(i.id) : reg.findByPath(i.path!);
    if (i.id && !registered) throw new UserError(`There is no model ${i.id}.`, { code: 'not_found' });
    const metadata = await readGgufInfo(registered?.path ?? i.path!);
    return { metadata, fit: fitOf(metadata, i.contextSize, i.parallel), registered: registered ? entry(registered, new Map()) : null };
  },
  'models.load': async (i, host) => {
    const m = registry(host).get(i.id);
    if (!m) throw new UserError(`There is no model ${i.id}.`, { code: 'not_found' });
    await unloadModel();
    const { loadLocalModel, defaultThreads } = await import('./runtime.js');
    const t0 = performance.now();
    const threads = i.threads ?? defaultThreads();
    const backend = await loadLocalModel({ modelPath: m.path, threads, contextSize: i.contextSize, parallel: i.parallel, gpu: i.gpu ? 'auto' : false });
    const info = await backend.info();
    loaded = {
      backend,
      info: {
        id: m.id,
        name: m.name,
        path: m.path,
        threads,
        contextSize: info.contextSize ?? 0,
        parallel: info.parallel,
        gpu: Boolean(i.gpu),
        loadMs: performance.now() - t0,
      },
    };
    return loaded.info;
  },
  'models.unload': async () => {
    await unloadModel();
    return { ok: true as const };
  },
  'models.catalog': (_i, host) => ({
    models: readCatalog().models.map((c) => ({
      ...c,
      downloaded: fs.existsSync(path.join(host.workspace.modelsDir, c.fileName)),
      fit: fitOf({ fileBytes: c.sizeBytes, kvBytesPerToken: null }),
    })),
  }),
  'models.download': (i, host) => ({ jobId: host.jobs.start('models.download', i, `Download ${i.fileName ?? i.source}`).id }),
  'models.downloadCancel': (i, host) => {
    host.jobs.cancel(i.jobId);
    return { ok: true as const };
  },
  'models.endpoint': (_i, host) => endpointView(host),
  'models.endpointConfigure': async (i, host) => {
    host.workspace.setSetting(ENDPOINT_SETTING, { url: i.url, model: i.model });
    if (i.apiKey === null) await secretStore().delete(ENDPOINT_API_KEY);
    else if (i.apiKey) await secretStore().set(ENDPOINT_API_KEY, i.apiKey);
    let models: string[] | null = null;
    if (i.url) {
      try {
        models = (await new EndpointBackend({ baseUrl: i.url, model: i.model ?? '', secrets: secretStore() }).listModels()).map((m) => m.id);
      } catch {
        models = null; // saved anyway; the view shows that the server did not answer
      }
    }
    return { ...(await endpointView(host)), models };
  },
};
