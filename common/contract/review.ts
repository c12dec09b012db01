/** Review of rationales (docs/review.md): decisions, queues, drafts, bulk view, quality flags, agreement. */
import { z } from 'zod';
import { Empty, Name } from './common.js';
import { AgentKind, RationaleVersion } from './rationales.js';

/** What importing a rationale export did (`rationales.import` and `review.merge` answer the same). */
export const MergeResult = z.object({
  file: z.string(),
  /** Rationale records read and matched to this workspace's dataset. */
  records: z.number().int(),
  /** Versions added. */
  versions: z.number().int(),
  /** Versions already present (same uid): skipped, so re-importing changes nothing. */
  duplicates: z.number().int(),
  /** Records whose user or item is not in this workspace's dataset. */
  unmatched: z.number().int(),
  /** Records refused by the leakage rule (their target is not a training item here). */
  refused: z.number().int(),
  templates: z.number().int(),
  /** Review data merged (docs/review.md): new annotator profiles, decisions added, decisions already present. */
  annotators: z.number().int(),
  decisions: z.number().int(),
  decisionDuplicates: z.number().int(),
});
export type MergeResult = z.infer<typeof MergeResult>;

export const Decision = z.enum(['accepted', 'edited', 'rejected', 'flagged']);
export type Decision = z.infer<typeof Decision>;
export const ReviewStatus = z.enum(['pending', 'accepted', 'edited', 'rejected', 'flagged']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
export const QualityFlag = z.enum(['invalid', 'too_short', 'too_long', 'leakage', 'unknown_item', 'near_duplicate']);
export type QualityFlag = z.infer<typeof QualityFlag>;
/** The actions a key can be bound to in the review view (keybindings file). */
export const ReviewAction = z.enum(['accept', 'reject', 'flag', 'edit', 'next', 'previous', 'undo', 'submitEdit', 'cancelEdit']);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** Annotator names are portable ids: the same name in two workspaces is the same person. */
export const AnnotatorName = z
  .string()
  .trim()
  .min(1, 'An annotator name is required')
  .max(64)
  .regex(/^[\p{L}\p{N}_.@\- ]+$/u, 'Use letters, digits, spaces, dot, @, dash or underscore');

export const Annotator = z.object({ name: z.string(), displayName: z.string(), role: z.enum(['annotator', 'lead']), decisions: z.number().int() });
export type Annotator = z.infer<typeof Annotator>;

export const DecisionRecord = z.object({
  id: z.number().int(),
  uid: z.string(),
  rationaleId: z.number().int(),
  versionId: z.number().int(),
  annotator: z.string(),
  decision: z.enum(['accepted', 'edited', 'rejected', 'flagged', 'undo']),
  reason: z.string().nullable(),
  comment: z.string(),
  undoesId: z.number().int().nullable(),
  /** True when a later undo cancelled it (it stays in the history). */
  undone: z.boolean(),
  ms: z.number().int().nullable(),
  createdAt: z.string(),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;

export const QualityReport = z.object({ flags: z.array(QualityFlag), details: z.record(z.string(), z.unknown()) });
export type QualityReport = z.infer<typeof QualityReport>;

const ItemText = z.object({
  idx: z.number().int(),
  originalId: z.string(),
  title: z.string(),
  brand: z.string(),
  categories: z.string(),
  description: z.string(),
});

export const ReviewRecord = z.object({
  id: z.number().int(),
  dataset: z.string(),
  user: z.object({ idx: z.number().int(), originalId: z.string() }),
  target: ItemText.extend({ pos: z.number().int() }),
  /** Training history before the target: what the rationale could see. */
  history: z.array(z.object({ pos: z.number().int(), item: ItemText, rating: z.number().nullable(), review: z.string().nullable() })),
  /** Versions visible to this annotator (blind mode hides other annotators' edits). */
  versions: z.array(RationaleVersion),
  /** The model's suggestion (latest machine version): the diff's left side. */
  suggestionVersionId: z.number().int(),
  /** The version the annotator sees and decides on (latest visible). */
  currentVersionId: z.number().int(),
  draft: z.object({ text: z.string(), baseVersionId: z.number().int(), updatedAt: z.string() }).nullable(),
  decisions: z.array(DecisionRecord),
  /** Overall status (this annotator's own in blind mode). */
  status: ReviewStatus,
  myStatus: ReviewStatus,
  quality: z.record(z.string(), QualityReport),
  assignedTo: z.array(z.string()),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;

export const ReviewConfig = z.object({
  rejectReasons: z.array(z.string().min(1).max(100)).min(1).max(50),
  /** Markdown written by the project lead, shown as text (never HTML). */
  guidelines: z.string().max(100_000),
  blind: z.boolean(),
  minWords: z.number().int().min(0).max(10_000),
  maxWords: z.number().int().min(1).max(100_000),
  /** Jaccard similarity of word 3-shingles at or above which two rationales are near-duplicates. */
  duplicateThreshold: z.number().min(0.1).max(1),
});
export type ReviewConfig = z.infer<typeof ReviewConfig>;

export const ReviewConfigOut = ReviewConfig.extend({
  keybindings: z.record(ReviewAction, z.string()),
  keybindingsFile: z.string(),
  /** Why the keybindings file was not used (defaults apply), if it was not. */
  keybindingsError: z.string().nullable(),
});
export type ReviewConfigOut = z.infer<typeof ReviewConfigOut>;

export const Queue = z.enum(['pending', 'accepted', 'edited', 'rejected', 'flagged', 'all']);
export type Queue = z.infer<typeof Queue>;

export const BulkSort = z.enum(['id', 'user', 'status', 'length', 'agent', 'model', 'flags', 'updated']);
export const BulkFilter = z
  .object({
    dataset: Name,
    /** FTS5 query over version text and item title; plain words are ANDed as prefixes. */
    search: z.string().max(500).optional(),
    status: z.array(ReviewStatus).optional(),
    annotator: AnnotatorName.optional(),
    agentKind: z.array(AgentKind).optional(),
    model: z.string().max(300).optional(),
    template: z.string().max(300).optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    hasEdits: z.boolean().optional(),
    /** Rows with any of these flags; [] or absent: no flag filter. 'any' flag via anyFlag. */
    flags: z.array(QualityFlag).optional(),
    anyFlag: z.boolean().optional(),
  })
  .strict();
export type BulkFilter = z.infer<typeof BulkFilter>;

export const BulkRow = z.object({
  id: z.number().int(),
  userIdx: z.number().int(),
  userOriginalId: z.string(),
  itemTitle: z.string(),
  status: ReviewStatus,
  annotator: z.string().nullable(),
  agentKind: z.string(),
  model: z.string(),
  template: z.string(),
  length: z.number().int(),
  hasEdits: z.boolean(),
  flags: z.array(QualityFlag),
  text: z.string(),
  updatedAt: z.string(),
});
export type BulkRow = z.infer<typeof BulkRow>;

export const AnnotatorProgress = z.object({
  annotator: z.string(),
  assigned: z.number().int(),
  decided: z.number().int(),
  remaining: z.number().int(),
  accepted: z.number().int(),
  edited: z.number().int(),
  rejected: z.number().int(),
  flagged: z.number().int(),
  undone: z.number().int(),
  lastAt: z.string().nullable(),
});

export const ReviewStats = z.object({
  dataset: z.string(),
  rationales: z.number().int(),
  statuses: z.record(ReviewStatus, z.number().int()),
  flags: z.record(QualityFlag, z.number().int()),
  qualityChecked: z.number().int(),
  annotators: z.array(AnnotatorProgress),
  decisions: z.number().int(),
  curated: z.number().int(),
});
export type ReviewStats = z.infer<typeof ReviewStats>;

const PairAgreement = z.object({
  a: z.string(),
  b: z.string(),
  /** Records both decided. */
  n: z.number().int(),
  observed: z.number().nullable(),
  kappa: z.number().nullable(),
  /** Records both edited: mean Levenshtein distance (characters) and token F1 of the two edited texts. */
  edits: z.number().int(),
  editDistance: z.number().nullable(),
  tokenF1: z.number().nullable(),
});
export const Agreement = z.object({
  dataset: z.string(),
  categories: z.array(Decision),
  /** Records with decisions from at least two annotators. */
  records: z.number().int(),
  annotators: z.array(z.string()),
  pairs: z.array(PairAgreement),
  overall: z.object({
    /** Cohen's kappa when exactly two annotators, Fleiss' kappa (varying raters per record) otherwise. */
    method: z.enum(['cohen', 'fleiss', 'none']),
    kappa: z.number().nullable(),
    fleissKappa: z.number().nullable(),
    observed: z.number().nullable(),
    editDistance: z.number().nullable(),
    tokenF1: z.number().nullable(),
    edits: z.number().int(),
  }),
});
export type Agreement = z.infer<typeof Agreement>;

const Who = { annotator: AnnotatorName };
const NextSpec = z.object({ queue: Queue.default('pending'), after: z.number().int().optional() }).strict();

export const reviewApi = {
  'review.config.get': { input: Empty, output: ReviewConfigOut },
  'review.config.update': { input: ReviewConfig.partial().strict(), output: ReviewConfigOut },
  'review.annotators': { input: Empty, output: z.object({ annotators: z.array(Annotator) }) },
  'review.annotators.add': {
    input: z.object({ name: AnnotatorName, displayName: z.string().max(100).optional(), role: z.enum(['annotator', 'lead']).optional() }).strict(),
    output: Annotator,
  },
  /** The next record in a queue for this annotator (after `after`, wrapping around), or null when the queue is empty. */
  'review.next': {
    input: z.object({ dataset: Name, ...Who, queue: Queue.default('pending'), after: z.number().int().optional() }).strict(),
    output: z.object({ record: ReviewRecord.nullable(), remaining: z.number().int() }),
  },
  'review.get': { input: z.object({ id: z.number().int().positive(), ...Who }).strict(), output: ReviewRecord },
  /**
   * Records a decision on the version shown. 'edited' needs `text`: it becomes a new human version whose parent is
   * `versionId`. With `next`, the answer carries the next record of that queue (one round trip per decision).
   */
  'review.decide': {
    input: z
      .object({
        id: z.number().int().positive(),
        ...Who,
        decision: Decision,
        versionId: z.number().int().positive(),
        text: z.string().max(50_000).optional(),
        reason: z.string().max(100).optional(),
        comment: z.string().max(5000).optional(),
        ms: z.number().int().min(0).optional(),
        next: NextSpec.optional(),
      })
      .strict(),
    output: z.object({
      decision: DecisionRecord,
      status: ReviewStatus,
      next: z.object({ record: ReviewRecord.nullable(), remaining: z.number().int() }).nullable(),
    }),
  },
  /** Undoes this annotator's latest standing decision (on record `id`, or anywhere). The undo is itself recorded. */
  'review.undo': {
    input: z.object({ ...Who, id: z.number().int().positive().optional() }).strict(),
    output: z.object({ undone: DecisionRecord.nullable(), record: ReviewRecord.nullable() }),
  },
  'review.draft.save': {
    input: z.object({ id: z.number().int().positive(), ...Who, baseVersionId: z.number().int().positive(), text: z.string().max(50_000) }).strict(),
    output: z.object({ savedAt: z.string() }),
  },
  'review.draft.discard': { input: z.object({ id: z.number().int().positive(), ...Who }).strict(), output: z.object({ ok: z.literal(true) }) },
  'review.bulk': {
    input: BulkFilter.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      sort: BulkSort.default('id'),
      desc: z.boolean().default(false),
    }).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(BulkRow), ms: z.number() }),
  },
  /** Ids matching a filter (select all), at most 100,000. */
  'review.bulk.ids': { input: BulkFilter, output: z.object({ ids: z.array(z.number().int()) }) },
  'review.bulk.decide': {
    input: z
      .object({
        ids: z.array(z.number().int().positive()).min(1).max(100_000),
        ...Who,
        decision: z.enum(['accepted', 'rejected', 'flagged']),
        reason: z.string().max(100).optional(),
        comment: z.string().max(5000).optional(),
      })
      .strict(),
    output: z.object({ decided: z.number().int() }),
  },
  'review.facets': {
    input: z.object({ dataset: Name }).strict(),
    output: z.object({ models: z.array(z.string()), templates: z.array(z.string()), agents: z.array(z.string()), annotators: z.array(z.string()) }),
  },
  'review.stats': { input: z.object({ dataset: Name }).strict(), output: ReviewStats },
  'review.agreement': { input: z.object({ dataset: Name }).strict(), output: Agreement },
  /** Assigns every rationale (or only pending ones) to `overlap` of the annotators, balanced; replaces the dataset's assignments. */
  'review.assign': {
    input: z
      .object({
        dataset: Name,
        annotators: z.array(AnnotatorName).min(1).max(1000),
        overlap: z.number().int().min(1).default(1),
        onlyPending: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ records: z.number().int(), assignments: z.number().int(), perAnnotator: z.record(z.string(), z.number().int()) }),
  },
  /** Starts a 'review.quality' job: quality flags for versions not yet checked (all with `recompute`). */
  'review.quality': {
    input: z.object({ dataset: Name, recompute: z.boolean().default(false) }).strict(),
    output: z.object({ jobId: z.number().int() }),
  },
  /** Merges an export (rationales, versions, annotators, decisions) from another workspace; idempotent. */
  /**
   * The rationale record (docs/rationale-record.md): every version with its review decisions, exported and merged by
   * the review feature, which builds on rationales. The method names keep their place under rationales.* (CLI, scripts).
   */
  'rationales.export': {
    input: z.object({ dataset: Name, out: z.string().min(1) }).strict(),
    output: z.object({
      file: z.string(),
      dataset: z.string(),
      records: z.number().int(),
      versions: z.number().int(),
      templates: z.number().int(),
      /** Review decisions and the annotators who made them (docs/review.md). */
      decisions: z.number().int().optional(),
      annotators: z.number().int().optional(),
    }),
  },
  'rationales.import': { input: z.object({ file: z.string().min(1), dataset: Name.optional() }).strict(), output: MergeResult },
  'review.merge': { input: z.object({ file: z.string().min(1).max(4096), dataset: Name.optional() }).strict(), output: MergeResult },
};
