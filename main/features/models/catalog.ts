/** The catalog of recommended models (`models/catalog.json`), validated with zod. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../base/errors.js';
import { packageRoot } from '../../platform/paths.js';
import { downloadModel, resolveModelSource, type DownloadProgress, type DownloadResult } from './download.js';
import type { ModelRegistry, RegisteredModel } from './model-registry.js';

export const CatalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case id: letters, digits, . _ -'),
  name: z.string().min(1),
  family: z.string().min(1),
  /** `hf:owner/repo/file.gguf` or an https URL. */
  hf: z.string().refine((s) => s.startsWith('hf:') || s.startsWith('https://'), 'hf:owner/repo/file.gguf or https URL'),
  fileName: z.string().regex(/\.gguf$/i, 'a .gguf file name'),
  quantization: z.string().min(1),
  sizeBytes: z.number().int().positive(),
  /** True when sizeBytes is rounded (then a download does not enforce it). */
  sizeApproximate: z.boolean(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  parameters: z.number().int().positive(),
  contextLength: z.number().int().positive(),
  license: z.string().min(1),
  chatTemplate: z.boolean(),
  /** The model the PULSE paper used. */
  paperModel: z.boolean().optional(),
  notes: z.string(),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogSchema = z
  .object({
    version: z.literal(1),
    note: z.string().optional(),
    models: z.array(CatalogEntrySchema).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.models.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${m.id}`, path: ['models', i, 'id'] });
      seen.add(m.id);
    });
  });
export type Catalog = z.infer<typeof CatalogSchema>;

export function defaultCatalogFile(): string {
  return path.join(packageRoot(), 'models', 'catalog.json');
}

/** Reads and validates a catalog file; errors name the entry and field. */
export function readCatalog(file: string = defaultCatalogFile()): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`Cannot read the model catalog: ${(err as Error).message}`, { file, code: 'catalog_unreadable' });
  }
  const r = CatalogSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError(`Invalid model catalog at ${issue.path.join('.')}: ${issue.message}`, {
      file,
      hint: 'Fix the entry in models/catalog.json.',
      code: 'catalog_invalid',
    });
  }
  return r.data;
}

/** What `downloadModel` needs for a catalog entry (size and hash enforced only when exact). */
export function downloadSpecFor(entry: CatalogEntry): { source: string; fileName: string; expectedBytes?: number; sha256?: string; url: string } {
  return {
    source: entry.hf,
    url: resolveModelSource(entry.hf).url,
    fileName: entry.fileName,
    expectedBytes: entry.sizeApproximate ? undefined : entry.sizeBytes,
    sha256: entry.sha256 ?? undefined,
  };
}

/**
 * Downloads a catalog model into `targetDir` (resuming a previous attempt) and, when a registry is given,
 * registers it with its full SHA-256 (computed during the download).
 */
export async function downloadFromCatalog(
  entry: CatalogEntry,
  opts: { targetDir: string; registry?: ModelRegistry; signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void },
): Promise<{ download: DownloadResult; model: RegisteredModel | null }> {
  const spec = downloadSpecFor(entry);
  const download = await downloadModel({
    source: spec.source,
    targetDir: opts.targetDir,
    fileName: spec.fileName,
    expectedBytes: spec.expectedBytes,
    sha256: spec.sha256,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const model = opts.registry ? await opts.registry.addFile(download.file, { name: entry.name, sha256: download.sha256 }) : null;
  return { download, model };
}
