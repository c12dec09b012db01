/**
 * Adapter between rationale generation and the SLM runtime (main/features/models, owned by the runtime): opens a local GGUF
 * model or an OpenAI-compatible endpoint behind the same SlmBackend, and says who the model is for provenance
 * (file hash and name, or endpoint URL and model name).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import type { SlmBackend } from '../models/backend.js';
import { splitPartsOf } from '../models/gguf-info.js';
import type { Workspace } from '../../platform/workspace/workspace.js';

export interface ModelProvenance {
  /** 'slm' for a local GGUF, 'endpoint' for an OpenAI-compatible server. */
  agentKind: 'slm' | 'endpoint';
  name: string;
  /** sha256 of the GGUF file (all parts of a split model, in order); null for endpoints. */
  fileHash: string | null;
  file: string | null;
  endpoint: { url: string; model: string } | null;
  /** What identifies the model in the generation key. */
  identity: string;
}

export interface LocalTarget {
  kind: 'local';
  /** GGUF path (or a registered model's id, resolved by the caller). */
  modelPath: string;
  threads?: number;
  contextSize?: number;
  parallel: number;
  gpu?: boolean;
}

export interface EndpointTarget {
  kind: 'endpoint';
  url: string;
  model: string;
  parallel: number;
  /** The server's context per request, when known (enables prompt shortening for endpoints). */
  contextSize?: number;
}

export type GenerationTarget = LocalTarget | EndpointTarget;

export interface OpenedBackend {
  backend: SlmBackend;
  provenance: ModelProvenance;
  /** Tokens one sequence can hold (the prompt budget), null when unknown (endpoints). */
  contextSize: number | null;
}

/** sha256 of a model file, cached in the workspace settings by path, size and mtime (hashing 1 GB takes seconds). */
export async function modelFileHash(ws: Workspace | null, file: string): Promise<string> {
  const abs = path.resolve(file);
  const parts = splitPartsOf(abs)?.files ?? [abs];
  const stats = parts.map((p) => fs.statSync(p));
  const stamp = stats.map((s) => `${s.size}:${s.mtimeMs}`).join('|');
  const key = `models.sha256:${abs}`;
  const cached = ws?.getSetting<{ stamp: string; sha256: string } | null>(key, null);
  if (cached && cached.stamp === stamp) return cached.sha256;
  const h = createHash('sha256');
  for (const p of parts) {
    await new Promise<void>((resolve, reject) => {
      fs.createReadStream(p, { highWaterMark: 4 << 20 })
        .on('data', (c) => h.update(c))
        .on('end', () => resolve())
        .on('error', reject);
    });
  }
  const sha256 = h.digest('hex');
  ws?.setSetting(key, { stamp, sha256 });
  return sha256;
}

async function openEndpoint(t: EndpointTarget): Promise<SlmBackend> {
  const { EndpointBackend } = await import('../models/endpoint-backend.js');
  const { createSecretStore } = await import('../models/secret-store.js');
  // The key comes from the secret store (or PULSE_ENDPOINT_API_KEY), never from job params or the workspace.
  return new EndpointBackend({ baseUrl: t.url, model: t.model, parallel: t.parallel, secrets: createSecretStore() });
}

export async function openGenerationBackend(ws: Workspace | null, t: GenerationTarget, signal?: AbortSignal): Promise<OpenedBackend> {
  if (t.kind === 'endpoint') {
    const backend = await openEndpoint(t);
    return {
      backend,
      contextSize: (await backend.info()).contextSize ?? t.contextSize ?? null,
      provenance: {
        agentKind: 'endpoint',
        name: t.model,
        fileHash: null,
        file: null,
        endpoint: { url: t.url, model: t.model },
        identity: `endpoint:${t.url}#${t.model}`,
      },
    };
  }
  if (!fs.existsSync(t.modelPath)) {
    throw new UserError(`Model file not found: ${t.modelPath}`, {
      file: t.modelPath,
      hint: 'Give a GGUF file path, or the id of a model added with `pulse models add`.',
      code: 'model_missing',
    });
  }
  const fileHash = await modelFileHash(ws, t.modelPath);
  const { loadLocalModel } = await import('../models/runtime.js');
  const backend = await loadLocalModel({
    modelPath: t.modelPath,
    threads: t.threads,
    parallel: t.parallel,
    contextSize: t.contextSize,
    gpu: t.gpu ? 'auto' : false,
    signal,
  });
  const info = await backend.info();
  return {
    backend,
    contextSize: info.contextSize,
    provenance: {
      agentKind: 'slm',
      name: path.basename(t.modelPath),
      fileHash,
      file: path.resolve(t.modelPath),
      endpoint: null,
      identity: `sha256:${fileHash}`,
    },
  };
}

/**
 * A model reference as people give it: a GGUF path, a file in the workspace's models/ folder, or the id of a
 * registered model (looked up through the SLM runtime's registry when it offers one).
 */
export async function resolveModelRef(ws: Workspace, ref: string): Promise<string> {
  if (fs.existsSync(ref)) return path.resolve(ref);
  const inModels = path.join(ws.modelsDir, ref);
  if (fs.existsSync(inModels)) return inModels;
  const fromRegistry = await registeredModelPath(ws, ref);
  if (fromRegistry) return fromRegistry;
  throw new UserError(`No model "${ref}": not a file, not in the workspace's models/ folder, and no registered model has that id.`, {
    hint: 'Give a GGUF path, or add the model first with `pulse models add PATH`.',
    code: 'model_missing',
  });
}

/** Path of a registered model by id (the SLM runtime's registry), or null. */
async function registeredModelPath(ws: Workspace, id: string): Promise<string | null> {
  if (!/^\d+$/.test(id)) return null;
  const { ModelRegistry } = await import('../models/model-registry.js');
  return new ModelRegistry(ws.db).get(Number(id))?.path ?? null;
}
