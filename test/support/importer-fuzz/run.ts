/**
 * The importer fuzz property, shared by the bounded test (test/integration/datasets/importer-fuzz.test.ts) and
 * the long run (`npm run fuzz:importers -- --cases N`). For each case: a small slice of a real file in one
 * format, damaged at random (mutate.ts), is imported into a workspace that already holds a dataset. Either the
 * import succeeds with the users/items/interactions an independent reference reader counts (reference.ts), or
 * it is refused with a UserError naming a file of the case and a line, the reference refuses it too (at the same
 * file and line where it pins one down), and the workspace is exactly as before: the dataset list
 * (`pulse datasets --json` returns DatasetService.list()) and a checksum over every table's rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { UserError } from '../../../main/base/errors.js';
import { DatasetService } from '../../../main/features/datasets/dataset-service.js';
import { importDataset } from '../../../main/features/datasets/importer.js';
import { openDatabase, type Db } from '../../../main/platform/storage/database.js';
import { workspaceChecksum } from '../workspace-checksum.js';
import { Corpus, FORMATS } from './corpus.js';
import { damage } from './mutate.js';
import { referenceImport, type FuzzFormat } from './reference.js';

export interface FuzzCounts {
  cases: number;
  refused: number;
  imported: number;
}

export interface FuzzSummary extends FuzzCounts {
  /** Refusals whose file and line the reference pinned down, and the importer named the same. */
  sameLine: number;
  byFormat: Record<FuzzFormat, FuzzCounts>;
  seed: number;
  seconds: number;
}

/** mulberry32: the case's own random numbers, from the seed fast-check draws. */
function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A workspace with one dataset already in it, and the state a refused import must leave untouched. */
export class FuzzWorkspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-fuzz-'));
  readonly db: Db;
  private constructor() {
    this.db = openDatabase(path.join(this.dir, 'workspace.sqlite'));
  }
  static async create(dataDir: string): Promise<FuzzWorkspace> {
    const ws = new FuzzWorkspace();
    const seed = path.join(ws.dir, 'seed');
    fs.mkdirSync(seed);
    const beauty = fs
      .readFileSync(path.join(dataDir, 'amazon_beauty_s3rec', 'Beauty.txt'), 'utf8')
      .split('\n')
      .slice(0, 30);
    fs.writeFileSync(path.join(seed, 'Beauty.txt'), beauty.join('\n') + '\n');
    await importDataset(ws.db, { paths: [seed], name: 'earlier' });
    return ws;
  }
  snapshot(): { datasets: unknown; checksum: string } {
    return { datasets: new DatasetService(this.db).list(), checksum: workspaceChecksum(this.db) };
  }
  close(): void {
    this.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One case; resolves with what happened, throws (keeping the files) when a property fails. */
export async function fuzzCase(ws: FuzzWorkspace, corpus: Corpus, format: FuzzFormat, seed: number): Promise<'imported' | 'refused' | 'refusedAtLine'> {
  const rng = rngFrom(seed);
  const d = damage(corpus.sample(format, rng), rng);
  const dir = fs.mkdtempSync(path.join(ws.dir, `${format}-`));
  for (const f of d.files) fs.writeFileSync(path.join(dir, f.name), f.body);
  const fail: (why: string) => never = (why) => {
    // Keep the case's files for a look (the workspace folder is removed at the end of the run).
    const kept = fs.mkdtempSync(path.join(os.tmpdir(), `pulse-fuzz-failed-${format}-`));
    fs.cpSync(dir, kept, { recursive: true });
    throw new Error(`${format} case (seed ${seed}), files kept in ${kept}: ${why}\n  damage: ${d.steps.join('; ') || 'none'}`);
  };
  const ref = referenceImport(dir, format);
  const before = ws.snapshot();
  let err: unknown = null;
  let result: Awaited<ReturnType<typeof importDataset>> | null = null;
  try {
    result = await importDataset(ws.db, { paths: [dir], name: 'fuzz', format });
  } catch (e) {
    err = e;
  }
  if (result) {
    if (!ref.ok) fail(`imported, but the reference refuses it (${ref.why} at ${ref.file ? path.basename(ref.file) : '?'}:${ref.line ?? '?'})`);
    const got = { users: result.users, items: result.items, interactions: result.interactions };
    const want = { users: ref.users, items: ref.items, interactions: ref.interactions };
    if (!isDeepStrictEqual(got, want)) fail(`imported ${JSON.stringify(got)}, the reference counts ${JSON.stringify(want)}`);
    new DatasetService(ws.db).delete('fuzz');
    fs.rmSync(dir, { recursive: true, force: true });
    return 'imported';
  }
  if (!(err instanceof UserError)) fail(`failed without a UserError: ${(err as Error)?.stack ?? String(err)}`);
  const e = err as UserError;
  if (!e.file || path.dirname(e.file) !== dir) fail(`refused without naming a file of the case: ${e.message}`);
  if (!Number.isInteger(e.line) || e.line! < 1) fail(`refused without a line: ${e.message}`);
  if (!e.hint) fail(`refused without a hint: ${e.message}`);
  if (ref.ok) fail(`refused (${e.message}), but the reference accepts it: ${JSON.stringify(ref)}`);
  if (ref.file && ref.line !== null && (e.file !== ref.file || e.line !== ref.line))
    fail(`refused at ${path.basename(e.file!)}:${e.line} (${e.message}), the reference at ${path.basename(ref.file)}:${ref.line} (${ref.why})`);
  const after = ws.snapshot();
  if (!isDeepStrictEqual(after, before)) fail(`the workspace changed although the import was refused (${e.message})`);
  fs.rmSync(dir, { recursive: true, force: true });
  return ref.file && ref.line !== null ? 'refusedAtLine' : 'refused';
}

/** Runs `cases` fast-check cases over every format; throws fast-check's report on the first failing case. */
export async function runImporterFuzz(opts: { dataDir: string; cases: number; seed?: number; onProgress?: (s: FuzzCounts) => void }): Promise<FuzzSummary> {
  const corpus = Corpus.load(opts.dataDir);
  if (!corpus) throw new Error(`the shared data is not under ${opts.dataDir}`);
  const ws = await FuzzWorkspace.create(opts.dataDir);
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const zero = (): FuzzCounts => ({ cases: 0, refused: 0, imported: 0 });
  const summary: FuzzSummary = {
    ...zero(),
    sameLine: 0,
    byFormat: Object.fromEntries(FORMATS.map((f) => [f, zero()])) as Record<FuzzFormat, FuzzCounts>,
    seed,
    seconds: 0,
  };
  const t0 = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FORMATS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (format, caseSeed) => {
        const outcome = await fuzzCase(ws, corpus, format, caseSeed);
        if (outcome === 'refusedAtLine') summary.sameLine++;
        for (const c of [summary, summary.byFormat[format]]) {
          c.cases++;
          c[outcome === 'imported' ? 'imported' : 'refused']++;
        }
        if (summary.cases % 100 === 0) opts.onProgress?.(summary);
      }),
      { numRuns: opts.cases, seed, endOnFailure: true },
    );
  } finally {
    summary.seconds = (performance.now() - t0) / 1000;
    ws.close();
  }
  return summary;
}
