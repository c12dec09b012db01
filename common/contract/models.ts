import { z } from 'zod';
import { Empty, Ok } from './common.js';

/** What a GGUF header says (main/features/models/gguf-info.ts). */
export const GgufMetadata = z.object({
  file: z.string(),
  parts: z.array(z.string()),
  fileBytes: z.number(),
  ggufVersion: z.number(),
  architecture: z.string(),
  name: z.string().nullable(),
  parameters: z.number(),
  fileType: z.string().nullable(),
  quantization: z.string(),
  contextLength: z.number().nullable(),
  embeddingLength: z.number().nullable(),
  layers: z.number().nullable(),
  heads: z.number().nullable(),
  headsKv: z.number().nullable(),
  vocabularySize: z.number().nullable(),
  hasChatTemplate: z.boolean(),
  kvBytesPerToken: z.number().nullable(),
});

export const MemoryFitInfo = z.object({
  verdict: z.enum(['fits', 'tight', 'too-large']),
  needBytes: z.number(),
  availableBytes: z.number(),
  totalBytes: z.number(),
  contextSize: z.number(),
  sequences: z.number(),
  explanation: z.string(),
});

export const ModelEntry = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  hash: z.string(),
  addedAt: z.string(),
  /** Header metadata: architecture, parameters, quantization, context length, chat template, size. */
  metadata: GgufMetadata,
  /** Whether it fits this machine at the default context (4096 tokens, 1 sequence). */
  fit: MemoryFitInfo,
  /** The file is gone or changed since it was added. */
  stale: z.enum(['missing', 'changed']).nullable(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const LoadedModel = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  path: z.string(),
  threads: z.number().int(),
  contextSize: z.number().int(),
  parallel: z.number().int(),
  gpu: z.boolean(),
  loadMs: z.number(),
});

export const CatalogModel = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string(),
  hf: z.string(),
  fileName: z.string(),
  quantization: z.string(),
  sizeBytes: z.number(),
  parameters: z.number(),
  contextLength: z.number(),
  license: z.string(),
  chatTemplate: z.boolean(),
  paperModel: z.boolean().optional(),
  notes: z.string(),
  /** Already downloaded into this workspace's models/ folder. */
  downloaded: z.boolean(),
  fit: MemoryFitInfo,
});

export const EndpointConfig = z.object({
  url: z.string().nullable(),
  model: z.string().nullable(),
  /** Whether an API key is stored (never the key itself). */
  hasApiKey: z.boolean(),
  /** True when the key survives a restart (OS secret storage); false: memory or environment only. */
  keyPersistent: z.boolean(),
  /** Shown by the workbench: prompts (user histories) leave this machine. */
  warning: z.string(),
});

const ModelId = z.object({ id: z.number().int().positive() }).strict();

export const modelsApi = {
  'models.list': { input: Empty, output: z.object({ models: z.array(ModelEntry), loaded: LoadedModel.nullable() }) },
  /** A GGUF file or a folder (scanned recursively; split GGUFs registered once). */
  'models.add': {
    input: z.object({ path: z.string().min(1), name: z.string().min(1).max(200).optional() }).strict(),
    output: z.object({ added: z.array(ModelEntry), skipped: z.array(z.object({ file: z.string(), reason: z.string() })) }),
  },
  'models.remove': { input: ModelId, output: Ok },
  'models.info': {
    input: z
      .object({
        id: z.number().int().positive().optional(),
        path: z.string().min(1).optional(),
        contextSize: z.number().int().min(256).optional(),
        parallel: z.number().int().min(1).optional(),
      })
      .strict()
      .refine((v) => Boolean(v.id) !== Boolean(v.path), { message: 'Give either id or path' }),
    output: z.object({ metadata: GgufMetadata, fit: MemoryFitInfo, registered: ModelEntry.nullable() }),
  },
  'models.load': {
    input: z
      .object({
        id: z.number().int().positive(),
        threads: z.number().int().min(1).max(512).optional(),
        contextSize: z
          .number()
          .int()
          .min(256)
          .max(1 << 20)
          .optional(),
        parallel: z.number().int().min(1).max(64).optional(),
        gpu: z.boolean().optional(),
      })
      .strict(),
    output: LoadedModel,
  },
  'models.unload': { input: Empty, output: Ok },
  'models.catalog': { input: Empty, output: z.object({ models: z.array(CatalogModel) }) },
  /** Starts a 'models.download' job (resumable; cancel it with jobs.cancel, resume with jobs.resume). */
  'models.download': {
    input: z
      .object({
        /** A catalog id, an https URL or hf:owner/repo/file.gguf. */
        source: z.string().min(1),
        fileName: z.string().min(1).optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional(),
        expectedBytes: z.number().int().positive().optional(),
      })
      .strict(),
    output: z.object({ jobId: z.number().int() }),
  },
  'models.downloadCancel': { input: z.object({ jobId: z.number().int().positive() }).strict(), output: Ok },
  'models.endpoint': { input: Empty, output: EndpointConfig },
  /** Sets the OpenAI-compatible endpoint; the API key goes to the OS secret storage, never the workspace. */
  'models.endpointConfigure': {
    input: z
      .object({ url: z.string().url().nullable(), model: z.string().min(1).nullable(), apiKey: z.string().min(1).max(4096).nullable().optional() })
      .strict(),
    output: EndpointConfig.extend({ models: z.array(z.string()).nullable() }),
  },
};
