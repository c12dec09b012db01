/**
 * The 'models.download' job (written by the rationales engineer on top of the SLM runtime's downloadModel):
 * downloads a catalog model, URL or hf: reference into the workspace's models/ folder with progress, cancel and
 * resume (the runtime keeps a .part file and a sidecar), verifies size / sha256, then registers the model.
 */
import { JobCancelled, type JobHandler } from '../../platform/jobs/job-context.js';
import { downloadSpecFor, readCatalog } from './catalog.js';
import { downloadModel } from './download.js';
import { ModelRegistry } from './model-registry.js';

export interface DownloadParams {
  source: string;
  fileName?: string;
  sha256?: string;
  expectedBytes?: number;
}

export interface DownloadJobResult {
  file: string;
  bytes: number;
  sha256: string;
  resumed: boolean;
  modelId: number;
  name: string;
}

export const run: JobHandler<DownloadParams, DownloadJobResult> = async (ctx) => {
  const p = ctx.params;
  const entry = /^[a-z0-9][a-z0-9._-]*$/.test(p.source) ? readCatalog().models.find((m) => m.id === p.source) : undefined;
  const spec = entry ? downloadSpecFor(entry) : { source: p.source, fileName: p.fileName, sha256: p.sha256, expectedBytes: p.expectedBytes };
  const abort = new AbortController();
  const poll = setInterval(() => ctx.cancelled && abort.abort(), 100);
  try {
    const r = await downloadModel({
      source: spec.source,
      fileName: p.fileName ?? spec.fileName,
      sha256: p.sha256 ?? spec.sha256,
      expectedBytes: p.expectedBytes ?? spec.expectedBytes,
      targetDir: ctx.workspace.modelsDir,
      signal: abort.signal,
      onProgress: (x) =>
        ctx.progress({
          done: x.bytes,
          total: x.total ?? undefined,
          unit: 'bytes',
          rate: x.bytesPerSecond,
          etaSeconds: x.total && x.bytesPerSecond > 0 ? (x.total - x.bytes) / x.bytesPerSecond : undefined,
          message: x.resumedFrom ? `resumed at ${x.resumedFrom} bytes` : undefined,
        }),
    });
    const model = await new ModelRegistry(ctx.workspace.db).addFile(r.file, { sha256: r.sha256, name: entry?.name });
    return { file: r.file, bytes: r.bytes, sha256: r.sha256, resumed: r.resumed, modelId: model.id, name: model.name };
  } catch (e) {
    if (ctx.cancelled) throw new JobCancelled();
    throw e;
  } finally {
    clearInterval(poll);
  }
};
