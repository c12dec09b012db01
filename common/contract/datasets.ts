import { z } from 'zod';
import { Empty, Name, Ok } from './common.js';

export const DatasetFormat = z.enum(['auto', 's3rec', 'lcrec', 'recbole', 'amazon', 'movielens', 'csv']);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const ColumnMapping = z
  .object({
    user: z.string().min(1).max(200),
    item: z.string().min(1).max(200),
    time: z.string().max(200).optional(),
    rating: z.string().max(200).optional(),
    review: z.string().max(200).optional(),
  })
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const ImportOptions = z
  .object({
    paths: z.array(z.string().min(1).max(4096)).min(1).max(64),
    name: Name,
    format: DatasetFormat.default('auto'),
    columns: ColumnMapping.optional(),
    kcore: z.number().int().min(0).max(1000).default(0),
    minHistory: z.number().int().min(0).max(10000).default(0),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptions>;

/** Stable fields only (no timestamps), so CLI output can be compared across runs. */
export const DatasetSummary = z.object({
  name: z.string(),
  format: z.string(),
  source: z.string(),
  synthetic: z.boolean(),
  users: z.number().int(),
  items: z.number().int(),
  interactions: z.number().int(),
  contentHash: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetStats = DatasetSummary.extend({
  density: z.number(),
  sequenceLength: z.object({ min: z.number(), max: z.number(), mean: z.number(), median: z.number() }),
  /** Histogram of per-user history lengths: bins as [from, to) with counts. */
  lengthHistogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
  /** Interaction counts of items sorted from most to least popular (downsampled to at most 1000 points). */
  popularity: z.array(z.object({ rank: z.number(), count: z.number() })),
  split: z.object({ train: z.number(), valid: z.number(), test: z.number() }),
  hasRatings: z.boolean(),
  hasReviews: z.boolean(),
  hasTimestamps: z.boolean(),
  /** Items that have a title (from the item text or metadata files): what rationales and the review view name. */
  itemsWithTitles: z.number().int(),
});
export type DatasetStats = z.infer<typeof DatasetStats>;

export const ItemView = z.object({
  idx: z.number().int(),
  originalId: z.string(),
  title: z.string(),
  brand: z.string(),
  categories: z.string(),
  description: z.string(),
});
export type ItemView = z.infer<typeof ItemView>;

export const HistoryEntry = z.object({
  pos: z.number().int(),
  split: z.enum(['train', 'valid', 'test']),
  rating: z.number().nullable(),
  ts: z.number().nullable(),
  review: z.string().nullable(),
  item: ItemView,
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const UserRow = z.object({ idx: z.number().int(), originalId: z.string(), interactions: z.number().int() });

export const DetectResult = z.object({
  format: DatasetFormat.exclude(['auto']),
  files: z.array(z.object({ path: z.string(), role: z.string(), bytes: z.number() })),
  /** First rows as the importer reads them: a person checks that columns land where expected. */
  preview: z.array(z.object({ user: z.string(), item: z.string(), rating: z.string().nullable(), time: z.string().nullable() })),
  columns: z.array(z.string()).nullable(),
  notes: z.array(z.string()),
});
export type DetectResult = z.infer<typeof DetectResult>;

const DatasetRef = z.object({ name: Name }).strict();

export const datasetsApi = {
  'datasets.list': { input: Empty, output: z.object({ datasets: z.array(DatasetSummary) }) },
  'datasets.stats': { input: DatasetRef, output: DatasetStats },
  'datasets.rename': { input: z.object({ name: Name, newName: Name }).strict(), output: Ok },
  'datasets.delete': { input: DatasetRef, output: Ok },
  'datasets.users': {
    input: z
      .object({
        name: Name,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        search: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ total: z.number().int(), users: z.array(UserRow) }),
  },
  'datasets.history': {
    input: z.object({ name: Name, user: z.number().int().min(0) }).strict(),
    output: z.object({ user: UserRow, history: z.array(HistoryEntry) }),
  },
  'datasets.detect': {
    input: z
      .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(64), format: DatasetFormat.default('auto'), columns: ColumnMapping.optional() })
      .strict(),
    output: DetectResult,
  },
  /** Starts the import job; progress arrives as job events. */
  'datasets.import': { input: ImportOptions, output: z.object({ jobId: z.number().int() }) },
  /** Files the browser uploaded (local server door) land in the workspace's uploads folder. */
  'datasets.uploads': {
    input: Empty,
    output: z.object({ dir: z.string(), files: z.array(z.object({ path: z.string(), name: z.string(), bytes: z.number() })) }),
  },
};
