import { z } from 'zod';
import { Empty, Name } from './common.js';

export const AgentKind = z.enum(['slm', 'endpoint', 'extractive', 'human', 'refined']);
export type AgentKind = z.infer<typeof AgentKind>;

export const RationaleVersion = z.object({
  id: z.number().int(),
  rationaleId: z.number().int(),
  version: z.number().int(),
  uid: z.string(),
  text: z.string(),
  agentKind: AgentKind,
  /** Provenance: model (name, fileHash), endpoint, template (hash, name), settings, seed, token counts, ms, promptShortened... */
  agent: z.record(z.string(), z.unknown()),
  generationKey: z.string(),
  parentVersionId: z.number().int().nullable(),
  jobId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type RationaleVersion = z.infer<typeof RationaleVersion>;

export const RationaleSummary = z.object({
  id: z.number().int(),
  dataset: z.string(),
  userIdx: z.number().int(),
  userOriginalId: z.string(),
  itemIdx: z.number().int(),
  itemOriginalId: z.string(),
  itemTitle: z.string(),
  targetPos: z.number().int(),
  createdAt: z.string(),
  versions: z.number().int(),
  latest: RationaleVersion.pick({ id: true, version: true, text: true, agentKind: true, createdAt: true }).nullable(),
});
export type RationaleSummary = z.infer<typeof RationaleSummary>;

export const GenerationSettingsInput = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().min(0).optional(),
    maxTokens: z.number().int().min(1).max(8192).optional(),
    maxChars: z.number().int().min(1).max(8000).optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict();

export const EndpointRef = z.object({ url: z.string().url(), model: z.string().min(1) }).strict();

/** Where generation runs: a local GGUF (path or registered id) or an OpenAI-compatible endpoint. */
const GenerationTargetInput = {
  model: z.string().min(1).optional(),
  endpoint: EndpointRef.optional(),
  parallel: z.number().int().min(1).max(64).optional(),
  threads: z.number().int().min(1).max(512).optional(),
  contextSize: z
    .number()
    .int()
    .min(256)
    .max(1 << 20)
    .optional(),
  gpu: z.boolean().optional(),
};

/** Which training items of each user a job explains (the leakage rule holds for both: never valid or test). */
export const TargetPositions = z
  .enum(['last', 'all'])
  .describe("last: each user's last training item; all: every training item after the first (PULSE aligns each position)");

export const GenerateInput = z
  .object({
    dataset: Name,
    users: z.number().int().min(1).optional(),
    positions: TargetPositions.optional(),
    template: z.string().min(1).optional(),
    regenerate: z.boolean().optional(),
    settings: GenerationSettingsInput.optional(),
    ...GenerationTargetInput,
  })
  .strict()
  .refine((v) => Boolean(v.model) !== Boolean(v.endpoint), { message: 'Give either a model or an endpoint' });
export type GenerateInput = z.infer<typeof GenerateInput>;

export const PromptTemplate = z.object({
  hash: z.string(),
  name: z.string(),
  body: z.string(),
  createdAt: z.string(),
  variables: z.array(z.string()),
  settings: z.record(z.string(), z.number()),
});
export type PromptTemplate = z.infer<typeof PromptTemplate>;

export const PlaygroundInput = z
  .object({
    dataset: Name,
    user: z.number().int().min(0),
    /** A stored template (hash, prefix or name), or an unsaved body being edited. */
    template: z.string().min(1).optional(),
    body: z.string().min(1).optional(),
    settings: GenerationSettingsInput.optional(),
    ...GenerationTargetInput,
  })
  .strict()
  .refine((v) => Boolean(v.model) !== Boolean(v.endpoint), { message: 'Give either a model or an endpoint' });

export const PlaygroundOutput = z.object({
  user: z.object({ idx: z.number().int(), originalId: z.string() }),
  target: z.object({ idx: z.number().int(), originalId: z.string(), pos: z.number().int(), title: z.string() }),
  template: z.object({ hash: z.string(), name: z.string().nullable() }),
  prompt: z.object({ system: z.string(), user: z.string(), shortened: z.boolean(), historyDropped: z.number().int(), historyItems: z.number().int() }),
  output: z.string(),
  rationale: z.string(),
  finishReason: z.string(),
  repaired: z.boolean(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  seed: z.number().int(),
  settings: z.record(z.string(), z.number()),
  timings: z.object({ loadMs: z.number(), renderMs: z.number(), generateMs: z.number(), tokensPerSecond: z.number() }),
  model: z.object({ name: z.string(), agentKind: z.enum(['slm', 'endpoint']), fileHash: z.string().nullable() }),
});
export type PlaygroundOutput = z.infer<typeof PlaygroundOutput>;

const JobStarted = z.object({ jobId: z.number().int() });

export const rationalesApi = {
  'rationales.list': {
    input: z
      .object({
        dataset: Name,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
        agentKind: AgentKind.optional(),
        user: z.number().int().min(0).optional(),
      })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(RationaleSummary) }),
  },
  'rationales.get': {
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: RationaleSummary.extend({ versionList: z.array(RationaleVersion) }),
  },
  /** Starts a 'rationales.generate' job. */
  'rationales.generate': { input: GenerateInput, output: JobStarted },
  /** Starts a 'rationales.draft' job (extractive, no model). */
  'rationales.draft': {
    input: z
      .object({ dataset: Name, users: z.number().int().min(1).optional(), regenerate: z.boolean().optional(), positions: TargetPositions.optional() })
      .strict(),
    output: JobStarted,
  },
  'templates.list': { input: Empty, output: z.object({ templates: z.array(PromptTemplate) }) },
  'templates.get': { input: z.object({ ref: z.string().min(1) }).strict(), output: PromptTemplate },
  /** Validates (errors carry the line) and stores by content hash; saving the same body again returns the same hash. */
  'templates.save': { input: z.object({ name: Name, body: z.string().min(1).max(200_000) }).strict(), output: PromptTemplate },
  /** Runs a template on one user: the exact prompt, the output, token counts and timings. Writes nothing. */
  'playground.run': { input: PlaygroundInput, output: PlaygroundOutput },
};
