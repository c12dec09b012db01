// What a PULSE run learns from besides the interactions, built once per run and cached in its folder (so a
// resumed run sees exactly the same vectors even if rationales were curated in between):
//  - alignment targets: for each training sequence and position, the Thought-Space embedding of the curated
//    rationale that explains why the user chose that item (the rationale tower of a trained space, or the
//    built-in TF-IDF/SVD encoder fitted on the rationales);
//  - item vectors (the item side): per item, its text (title, brand, categories, description) through an item
//    encoder, and/or the mean embedding of the rationales that explain choices of it.
// Only training targets count (the leakage rule): a rationale whose target is not the training item at its
// position is skipped. The fitted TF-IDF encoders are saved with the run, so a run that starts from this one
// (initFrom, e.g. on another domain) embeds its own text in the same coordinates.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { curatedRationales, hasCuratedRationale } from '../review/curated.js';
import { clean } from '../rationales/user-context.js';
import type { Db } from '../../platform/storage/database.js';
import { FILES as SPACE_FILES, openEncoder, type SpaceMeta } from '../space/space-model.js';
import { getSpace } from '../space/space-store.js';
import { embedWithSpace } from '../space/space-embed.js';
import { TfidfEncoder } from '../space/tfidf-encoder.js';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { readCheckpointFile, writeCheckpointFile } from '../../base/engine/checkpoint-file.js';
import type { AuxConfig } from './run-config.js';
import type { RunData } from './run-data.js';
import type { AlignmentTargets } from './sasrec/aux.js';
import type { ItemVectors } from './sasrec/item-fusion.js';

export const PULSE_FILES = {
  inputs: 'pulse-inputs.bin',
  summary: 'pulse-inputs.json',
  rationaleEncoder: 'rationale-encoder.bin',
  itemEncoder: 'item-encoder.bin',
} as const;

export interface PulseInputs {
  /** Null when the alignment weight is 0 and the item side needs no rationales. */
  alignment: AlignmentTargets | null;
  itemVectors: ItemVectors | null;
  /** The rationale version behind each aligned (user, position). */
  used: { userIdx: number; versionId: number }[];
  /** Encoder ids, recorded with the run. */
  rationaleEncoder: string | null;
  itemEncoder: string | null;
}

/** Whether a run with this config reads rationales at all. */
export function needsRationales(aux: AuxConfig): boolean {
  return aux.weight > 0 || aux.itemSide === 'rationales' || aux.itemSide === 'text+rationales';
}

export function needsItemText(aux: AuxConfig): boolean {
  return aux.itemSide === 'text' || aux.itemSide === 'text+rationales';
}

/** The text an item encoder reads: title, brand, categories and the start of the description. */
export function itemText(r: { title: string; brand: string; categories: string; description: string }): string {
  return [clean(r.title), clean(r.brand), clean(r.categories), clean(r.description).slice(0, 600)].filter(Boolean).join('. ');
}

/** Item texts of a dataset by item idx ('' for an item without any text). */
export function datasetItemTexts(db: Db, datasetId: number): string[] {
  const rows = db.prepare('SELECT idx, title, brand, categories, description FROM items WHERE dataset_id = ? ORDER BY idx').all(datasetId) as {
    idx: number;
    title: string;
    brand: string;
    categories: string;
    description: string;
  }[];
  const out: string[] = [];
  for (const r of rows) out[r.idx] = itemText(r);
  return Array.from(out, (t) => t ?? '');
}

function countItemsWithText(db: Db, datasetId: number): number {
  return db
    .prepare("SELECT COUNT(*) FROM items WHERE dataset_id = ? AND (title != '' OR brand != '' OR categories != '' OR description != '')")
    .pluck()
    .get(datasetId) as number;
}

/**
 * Checked before a PULSE run is created, so a run that cannot train is refused with what to do and nothing is
 * written: rationales present when the config reads them, item text present for the text item side, and
 * dimensions that agree with a given Thought Space or source run.
 */
export function checkPulseRequirements(
  ws: Workspace,
  dataset: string,
  aux: AuxConfig,
  o: { auxDimSet: boolean; source: { aux: AuxConfig | null } | null },
): void {
  const source = o.source;
  const ds = datasetByName(ws.db, dataset);
  if (needsRationales(aux) && !hasCuratedRationale(ws.db, ds.id, { includePending: !aux.reviewedOnly })) {
    const why = aux.reviewedOnly ? 'no accepted or edited rationale' : 'no rationales';
    throw new UserError(`PULSE needs rationales, and dataset "${dataset}" has ${why}.`, {
      hint: aux.reviewedOnly
        ? 'Review some rationales first (accept or edit them), or train without --reviewed-only.'
        : `Draft extractive ones with \`pulse rationales draft --dataset ${dataset} --positions all\` or generate them with an SLM (\`pulse generate\`), or train with --aux-weight 0 --item-side text.`,
      code: 'no_rationales',
    });
  }
  if (needsItemText(aux) && countItemsWithText(ws.db, ds.id) === 0)
    throw new UserError(`--item-side ${aux.itemSide} needs item text, and dataset "${dataset}" has none (no titles, brands, categories or descriptions).`, {
      hint: 'Import the items with their metadata (an LC-Rec .item.json, a RecBole .item file, Amazon metadata, or a CSV with a title column), or train with --item-side none or rationales.',
      code: 'no_item_text',
    });
  for (const name of aux.textCorpus) datasetByName(ws.db, name);
  if (aux.space !== null) {
    const space = getSpace(ws.db, aux.space);
    if (space.state !== 'ready') throw new UserError(`Thought Space ${aux.space} is ${space.state}, not ready.`, { code: 'bad_state' });
    const dim = spaceDim(path.resolve(ws.dir, space.artifactDir));
    if (dim !== null && o.auxDimSet && dim !== aux.dim)
      throw new UserError(`Thought Space ${aux.space} embeds into ${dim} dimensions, but --aux-dim is ${aux.dim}.`, {
        hint: `Leave out --aux-dim (a space sets the width of the targets) or set it to ${dim}.`,
        code: 'dim_mismatch',
      });
  }
  if (source) {
    if (!source.aux) throw new UserError('--init-from needs a PULSE run to start from (its encoders and projections carry over).', { code: 'bad_config' });
    const s = source.aux;
    const mismatch: string[] = [];
    if (s.itemSide !== aux.itemSide) mismatch.push(`item side ${s.itemSide} vs ${aux.itemSide}`);
    if (s.itemEncoder !== aux.itemEncoder) mismatch.push(`item encoder ${s.itemEncoder} vs ${aux.itemEncoder}`);
    if (s.itemDim !== aux.itemDim) mismatch.push(`item dimension ${s.itemDim} vs ${aux.itemDim}`);
    if (s.space !== aux.space) mismatch.push(`space ${s.space ?? 'none'} vs ${aux.space ?? 'none'}`);
    if (s.dim !== aux.dim) mismatch.push(`rationale dimension ${s.dim} vs ${aux.dim}`);
    if (mismatch.length)
      throw new UserError(`This run's encoders do not match the run it starts from: ${mismatch.join('; ')}.`, {
        hint: 'Use the same --item-side, --item-encoder, --item-dim, --space and --aux-dim as the source run (`pulse runs show ID` lists them).',
        code: 'dim_mismatch',
      });
  }
}

/** The width a trained space embeds into (its encoder's; the towers keep it). */
function spaceDim(dir: string): number | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, SPACE_FILES.meta), 'utf8')) as SpaceMeta).encoder.dim;
  } catch {
    return null;
  }
}

interface Encoders {
  rationale: { encode(texts: string[]): Promise<Float32Array[]>; id: string } | null;
  item: { encode(texts: string[]): Promise<Float32Array[]>; id: string; dispose?(): Promise<void> } | null;
}

/**
 * Builds a run's inputs. `from` is the folder of the run this one starts from (its encoders are reused);
 * `dir` is this run's folder (fitted TF-IDF encoders are saved there).
 */
export async function buildPulseInputs(
  ws: Workspace,
  data: RunData,
  aux: AuxConfig,
  o: { seed: number; dir: string; from: string | null; log?: (m: string) => void },
): Promise<PulseInputs> {
  const db = ws.db;
  const wantRationales = needsRationales(aux);
  const kept = wantRationales ? trainingRationales(db, data, aux) : [];
  if (wantRationales && !kept.length)
    throw new UserError(`None of the rationales of dataset "${data.datasetName}" explains a training item.`, {
      hint: `Draft them with \`pulse rationales draft --dataset ${data.datasetName} --positions all\`.`,
      code: 'no_rationales',
    });
  const texts = [...new Set(kept.map((k) => k.text))];
  const enc = await openEncoders(ws, data, aux, { ...o, rationaleCorpus: texts });
  try {
    let alignment: AlignmentTargets | null = null;
    const used: PulseInputs['used'] = [];
    if (wantRationales) {
      const vecs = await encodeAll(enc.rationale!, texts);
      const k = vecs[0]!.length;
      const row = new Map(texts.map((t, i) => [t, i]));
      const vectors = new Float32Array(texts.length * k);
      vecs.forEach((v, i) => vectors.set(v, i * k));
      // Users without an aligned rationale share one empty row list, so this grows with the rationales only.
      const none = new Int32Array(0);
      const rowOf: Int32Array[] = new Array<Int32Array>(data.train.length).fill(none);
      for (const r of kept) {
        const i = row.get(r.text)!;
        // A text with no known term maps to zeros: no direction to align to.
        if (!vecs[i]!.some((x) => x !== 0)) continue;
        if (rowOf[r.slot] === none) rowOf[r.slot] = new Int32Array(r.seqLength).fill(-1);
        rowOf[r.slot]![r.pos] = i;
        used.push({ userIdx: r.userIdx, versionId: r.versionId });
      }
      if (!used.length) throw new UserError('None of the rationales has a usable embedding.', { code: 'no_rationales' });
      alignment = { dim: k, vectors, rowOf };
    }
    const itemVectors = aux.itemSide === 'none' ? null : await buildItemVectors(db, data, aux, enc, alignment);
    return { alignment, itemVectors, used, rationaleEncoder: enc.rationale?.id ?? null, itemEncoder: enc.item?.id ?? null };
  } finally {
    await enc.item?.dispose?.();
  }
}

async function encodeAll(enc: { encode(texts: string[]): Promise<Float32Array[]> }, texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 256) out.push(...(await enc.encode(texts.slice(i, i + 256))));
  return out;
}

interface KeptRationale {
  slot: number;
  /** Length of the slot's training sequence. */
  seqLength: number;
  pos: number;
  userIdx: number;
  versionId: number;
  text: string;
}

/** Curated rationales that explain the training item at their position (all positions, or each user's last). */
function trainingRationales(db: Db, data: RunData, aux: AuxConfig): KeptRationale[] {
  const slot = new Map<number, number>(Array.from(data.users, (u, i) => [u, i]));
  const out: KeptRationale[] = [];
  let seq = null as { slot: number; items: Int32Array } | null; // the last user's sequence (rationales come by user)
  for (const c of curatedRationales(db, data.datasetId, { includePending: !aux.reviewedOnly })) {
    const s = slot.get(c.userIdx);
    if (s === undefined || !c.text.trim()) continue;
    if (seq?.slot !== s) seq = { slot: s, items: data.train.get(s) };
    const items = seq.items;
    if (c.targetPos >= items.length || items[c.targetPos] !== c.itemIdx + 1) continue; // not a training item: never used
    out.push({ slot: s, seqLength: items.length, pos: c.targetPos, userIdx: c.userIdx, versionId: c.versionId, text: c.text });
  }
  if (aux.positions === 'all') return out;
  const last = new Map<number, KeptRationale>();
  for (const r of out) if ((last.get(r.slot)?.pos ?? -1) < r.pos) last.set(r.slot, r);
  return [...last.values()];
}

/** Texts of the datasets the TF-IDF encoders are fitted on (textCorpus; the run's own dataset by default). */
function corpusDatasets(db: Db, data: RunData, aux: AuxConfig): number[] {
  const names = aux.textCorpus.length ? aux.textCorpus : [data.datasetName];
  return names.map((n) => datasetByName(db, n).id);
}

async function openEncoders(
  ws: Workspace,
  data: RunData,
  aux: AuxConfig,
  o: { seed: number; dir: string; from: string | null; rationaleCorpus: string[]; log?: (m: string) => void },
): Promise<Encoders> {
  const db = ws.db;
  const corpus = corpusDatasets(db, data, aux);
  let rationale: Encoders['rationale'] = null;
  if (needsRationales(aux)) {
    if (aux.space !== null) {
      const space = aux.space;
      rationale = { id: `space:${space}`, encode: (t) => embedWithSpace(ws, space, t, 'rationale') };
    } else {
      const file = path.join(o.dir, PULSE_FILES.rationaleEncoder);
      const fromFile = o.from ? path.join(o.from, PULSE_FILES.rationaleEncoder) : null;
      let tf: TfidfEncoder;
      if (fromFile && fs.existsSync(fromFile)) tf = TfidfEncoder.load(fromFile);
      else {
        const others = corpus.filter((id) => id !== data.datasetId).flatMap((id) => curatedRationales(db, id, { includePending: true }).map((c) => c.text));
        tf = TfidfEncoder.fit([...o.rationaleCorpus, ...new Set(others)], { dim: aux.dim, seed: o.seed });
      }
      tf.save(file);
      rationale = { id: tf.id, encode: async (t) => t.map((x) => tf.encodeOne(x)) };
    }
  }
  let item: Encoders['item'] = null;
  if (needsItemText(aux)) {
    const file = path.join(o.dir, PULSE_FILES.itemEncoder);
    const fromFile = o.from ? path.join(o.from, PULSE_FILES.itemEncoder) : null;
    const texts = corpus.flatMap((id) => datasetItemTexts(db, id)).filter(Boolean);
    const e = await openEncoder(aux.itemEncoder, { corpus: texts, tfidf: { dim: aux.itemDim, seed: o.seed }, tfidfFile: fromFile ?? undefined });
    if (e instanceof TfidfEncoder) e.save(file);
    item = e;
  }
  return { rationale, item };
}

async function buildItemVectors(db: Db, data: RunData, aux: AuxConfig, enc: Encoders, alignment: AlignmentTargets | null): Promise<ItemVectors> {
  const n1 = data.nItems + 1;
  const parts: { v: Float32Array; k: number }[] = [];
  if (needsItemText(aux)) {
    const texts = datasetItemTexts(db, data.datasetId);
    const withText = texts.map((t, i) => ({ t, i })).filter((x) => x.t);
    const vecs = await encodeAll(
      enc.item!,
      withText.map((x) => x.t),
    );
    const k = vecs[0]?.length ?? 0;
    if (!k) throw new UserError(`The item encoder returned no vectors for dataset "${data.datasetName}".`, { code: 'no_item_text' });
    const v = new Float32Array(n1 * k);
    withText.forEach((x, j) => v.set(unit(vecs[j]!), (x.i + 1) * k));
    parts.push({ v, k });
  }
  if (aux.itemSide === 'rationales' || aux.itemSide === 'text+rationales') {
    const a = alignment!;
    const k = a.dim;
    const acc = new Float64Array(n1 * k);
    a.rowOf.forEach((rows, slot) => {
      if (!rows.length) return;
      data.train.get(slot).forEach((item, p) => {
        const r = rows[p]!;
        if (r >= 0) for (let c = 0; c < k; c++) acc[item * k + c] += a.vectors[r * k + c]!;
      });
    });
    const v = new Float32Array(n1 * k);
    for (let i = 1; i < n1; i++) v.set(unit(acc.subarray(i * k, (i + 1) * k)), i * k);
    parts.push({ v, k });
  }
  const dim = parts.reduce((s, p) => s + p.k, 0);
  const vectors = new Float32Array(n1 * dim);
  for (let i = 0; i < n1; i++) {
    let o = 0;
    for (const p of parts) {
      vectors.set(p.v.subarray(i * p.k, (i + 1) * p.k), i * dim + o);
      o += p.k;
    }
  }
  return { vectors, dim };
}

function unit(v: ArrayLike<number>): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
}

/** What a run's PULSE inputs were built from (shown with the run; the vectors themselves stay in the .bin). */
export interface PulseInputsSummary {
  rationaleEncoder: string | null;
  itemEncoder: string | null;
  alignedRationales: number;
  distinctRationales: number;
  alignmentDim: number | null;
  itemDim: number | null;
}

export function readPulseInputsSummary(dir: string): PulseInputsSummary | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, PULSE_FILES.summary), 'utf8')) as PulseInputsSummary;
  } catch {
    return null;
  }
}

export function savePulseInputs(dir: string, t: PulseInputs): void {
  const summary: PulseInputsSummary = {
    rationaleEncoder: t.rationaleEncoder,
    itemEncoder: t.itemEncoder,
    alignedRationales: t.used.length,
    distinctRationales: t.alignment ? t.alignment.vectors.length / t.alignment.dim : 0,
    alignmentDim: t.alignment?.dim ?? null,
    itemDim: t.itemVectors?.dim ?? null,
  };
  fs.writeFileSync(path.join(dir, PULSE_FILES.summary), JSON.stringify(summary, null, 2));
  // Indices are stored as float32 (the file holds one float type): exact below 2^24.
  const arrays: { name: string; data: Float32Array }[] = [];
  const header: Record<string, unknown> = { kind: 'pulse-inputs', used: t.used, rationaleEncoder: t.rationaleEncoder, itemEncoder: t.itemEncoder };
  if (t.alignment) {
    if (t.alignment.vectors.length / t.alignment.dim >= 2 ** 24) throw new RangeError('too many distinct rationales to store (2^24 at most)');
    const lens = Float32Array.from(t.alignment.rowOf, (r) => r.length);
    const flat = new Float32Array(lens.reduce((a, b) => a + b, 0));
    let o = 0;
    for (const r of t.alignment.rowOf) {
      flat.set(r, o);
      o += r.length;
    }
    header.alignmentDim = t.alignment.dim;
    arrays.push({ name: 'alignment.vectors', data: t.alignment.vectors }, { name: 'alignment.lengths', data: lens }, { name: 'alignment.rowOf', data: flat });
  }
  if (t.itemVectors) {
    header.itemDim = t.itemVectors.dim;
    arrays.push({ name: 'item.vectors', data: t.itemVectors.vectors });
  }
  writeCheckpointFile(path.join(dir, PULSE_FILES.inputs), header, arrays);
}

export function loadPulseInputs(dir: string, data: RunData): PulseInputs | null {
  const file = path.join(dir, PULSE_FILES.inputs);
  if (!fs.existsSync(file)) return null;
  const { header, arrays } = readCheckpointFile(file);
  if (header.kind !== 'pulse-inputs') throw new Error(`${file} is not a PULSE inputs file`);
  let alignment: AlignmentTargets | null = null;
  if (header.alignmentDim !== undefined) {
    const lens = arrays.get('alignment.lengths')!;
    const flat = arrays.get('alignment.rowOf')!;
    // A user without aligned rationales has an empty row list; any other has one row per training position.
    if (lens.length !== data.train.length || lens.some((n, i) => n !== 0 && n !== data.train.get(i).length))
      throw new Error(`${file} does not match this run's data`);
    const none = new Int32Array(0);
    const rowOf: Int32Array[] = [];
    let o = 0;
    for (const n of lens) {
      rowOf.push(n ? Int32Array.from(flat.subarray(o, o + n)) : none);
      o += n;
    }
    alignment = { dim: header.alignmentDim as number, vectors: arrays.get('alignment.vectors') as Float32Array, rowOf };
  }
  const itemVectors = header.itemDim !== undefined ? { dim: header.itemDim as number, vectors: arrays.get('item.vectors') as Float32Array } : null;
  if (itemVectors && itemVectors.vectors.length !== (data.nItems + 1) * itemVectors.dim) throw new Error(`${file} does not match this run's items`);
  return {
    alignment,
    itemVectors,
    used: header.used as PulseInputs['used'],
    rationaleEncoder: (header.rationaleEncoder as string | null) ?? null,
    itemEncoder: (header.itemEncoder as string | null) ?? null,
  };
}
