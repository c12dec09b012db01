/**
 * JSONL export and import of rationales in the record's schema (docs/rationale-record.md), every version
 * included. Users and items travel by their original ids, so a file moves into any workspace holding the same
 * dataset. Import is idempotent (a version whose uid is already there is skipped) and all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../platform/storage/database.js';
import type { MergeResult } from '../../../common/contract/review.js';
import { annotatorLines, exportDecisions, importAnnotator, importDecisions, type DecisionLine } from './review-jsonl.js';
import { addVersion, AGENT_KINDS, allRationales, ensureRationale, hasVersionUid, type AgentKind } from '../rationales/rationale-store.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { parseTemplate } from '../rationales/prompt-template.js';
import { saveTemplate } from '../rationales/template-store.js';

export const RECORD_SCHEMA = 'pulse.rationale/1';

export interface VersionLine {
  uid: string;
  version: number;
  text: string;
  agent_kind: AgentKind;
  agent: Record<string, unknown>;
  generation_key: string;
  parent_uid: string | null;
  created_at: string;
}

export interface RationaleLine {
  type: 'rationale';
  schema: typeof RECORD_SCHEMA;
  dataset: string;
  user: { original_id: string; idx: number };
  target: { original_id: string; idx: number; pos: number; title: string };
  created_at: string;
  versions: VersionLine[];
  /** People's responses (review, docs/review.md); absent when there are none. */
  decisions?: DecisionLine[];
}

export interface TemplateLine {
  type: 'template';
  schema: typeof RECORD_SCHEMA;
  hash: string;
  name: string;
  body: string;
  created_at: string;
}

export interface ExportResult {
  file: string;
  dataset: string;
  records: number;
  versions: number;
  templates: number;
  decisions: number;
  annotators: number;
}

/** Writes the dataset's rationales (and the templates their versions name) as JSONL. */
export async function exportRationales(db: Db, dataset: string, outFile: string): Promise<ExportResult> {
  const ds = datasetByName(db, dataset);
  const file = path.resolve(outFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp, 'utf8');
  const write = (o: unknown) => new Promise<void>((res) => (out.write(JSON.stringify(o) + '\n') ? res() : out.once('drain', () => res())));
  const templateHashes = new Set<string>();
  const lines: RationaleLine[] = [];
  let versions = 0;
  const uidById = new Map<number, string>();
  for (const r of allRationales(db, ds.id)) {
    for (const v of r.versionList) uidById.set(v.id, v.uid);
    const line: RationaleLine = {
      type: 'rationale',
      schema: RECORD_SCHEMA,
      dataset: ds.name,
      user: { original_id: r.userOriginalId, idx: r.userIdx },
      target: { original_id: r.itemOriginalId, idx: r.itemIdx, pos: r.targetPos, title: r.itemTitle },
      created_at: r.createdAt,
      versions: r.versionList.map((v) => {
        const t = (v.agent.template as { hash?: string } | undefined)?.hash;
        if (t) templateHashes.add(t);
        return {
          uid: v.uid,
          version: v.version,
          text: v.text,
          agent_kind: v.agentKind,
          agent: v.agent,
          generation_key: v.generationKey,
          parent_uid: v.parentVersionId === null ? null : (uidById.get(v.parentVersionId) ?? null),
          created_at: v.createdAt,
        };
      }),
    };
    const decisions = exportDecisions(db, r.id);
    if (decisions.length) line.decisions = decisions;
    versions += line.versions.length;
    lines.push(line);
  }
  let templates = 0;
  for (const hash of templateHashes) {
    const t = db.prepare('SELECT hash, name, body, created_at FROM prompt_templates WHERE hash = ?').get(hash) as
      { hash: string; name: string; body: string; created_at: string } | undefined;
    if (!t) continue;
    await write({ type: 'template', schema: RECORD_SCHEMA, hash: t.hash, name: t.name, body: t.body, created_at: t.created_at } satisfies TemplateLine);
    templates++;
  }
  const people = annotatorLines(db, ds.id, RECORD_SCHEMA);
  for (const a of people) await write(a);
  for (const l of lines) await write(l);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  fs.renameSync(tmp, file);
  return {
    file,
    dataset: ds.name,
    records: lines.length,
    versions,
    templates,
    decisions: lines.reduce((n, l) => n + (l.decisions?.length ?? 0), 0),
    annotators: people.length,
  };
}

/** The contract's MergeResult: `rationales.import` and `review.merge` answer with it. */
export type ImportResult = MergeResult;

const Str = z.string();
const Time = z.string().min(1);
const VersionSchema = z.object({
  uid: z.string().min(1),
  version: z.number().int().min(1),
  text: Str,
  agent_kind: z.enum(AGENT_KINDS),
  agent: z.record(z.string(), z.unknown()),
  generation_key: Str,
  parent_uid: z.string().min(1).nullable(),
  created_at: Time,
});
const DecisionSchema = z.object({
  uid: z.string().min(1),
  version_uid: z.string().min(1),
  annotator: z.string().min(1),
  decision: z.enum(['accepted', 'edited', 'rejected', 'flagged', 'undo']),
  reason: Str.nullable(),
  comment: Str,
  undoes_uid: z.string().min(1).nullable(),
  ms: z.number().int().min(0).nullable(),
  created_at: Time,
});
const LineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('template'), schema: z.literal(RECORD_SCHEMA), hash: Str, name: z.string().min(1), body: Str, created_at: Time }),
  z.object({
    type: z.literal('annotator'),
    schema: z.literal(RECORD_SCHEMA),
    name: z.string().min(1),
    display_name: Str,
    role: z.enum(['annotator', 'lead']),
    created_at: Time,
  }),
  z.object({
    type: z.literal('rationale'),
    schema: z.literal(RECORD_SCHEMA),
    dataset: z.string().min(1),
    user: z.object({ original_id: z.string().min(1), idx: z.number().int().min(0) }),
    target: z.object({ original_id: z.string().min(1), idx: z.number().int().min(0), pos: z.number().int().min(0), title: Str }),
    created_at: Time,
    versions: z.array(VersionSchema).min(1),
    decisions: z.array(DecisionSchema).optional(),
  }),
]);
type Line = z.infer<typeof LineSchema>;

/** Lines of a file, read synchronously (the apply pass runs inside one transaction); BOM and CR dropped. */
function* linesSync(file: string): Generator<[string, number]> {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let carry = '';
  let lineNo = 0;
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      const text = carry + decoder.decode(chunk.subarray(0, n), { stream: n > 0 });
      const parts = text.split('\n');
      carry = n > 0 ? parts.pop()! : '';
      for (const p of parts) {
        lineNo++;
        yield [(lineNo === 1 ? p.replace(/^\uFEFF/, '') : p).replace(/\r$/, ''), lineNo];
      }
      if (n === 0) {
        if (carry) yield [carry.replace(/\r$/, ''), ++lineNo];
        return;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** One line as a checked record, or a UserError naming the line and what is wrong with it. */
function parseLine(file: string, raw: string, lineNo: number): Line | null {
  if (!raw.trim()) return null;
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch (e) {
    throw new UserError(`${file}, line ${lineNo}: not JSON (${(e as Error).message}).`, {
      file,
      line: lineNo,
      hint: 'Each line is one JSON record; the file may be cut off or damaged here.',
      code: 'bad_input',
    });
  }
  const schema = (o as { schema?: unknown } | null)?.schema;
  if (schema !== RECORD_SCHEMA) {
    throw new UserError(`${file}, line ${lineNo}: found schema ${JSON.stringify(schema)}; expected "${RECORD_SCHEMA}".`, {
      file,
      line: lineNo,
      hint: 'Export the file again with this version of PULSE Workbench.',
      code: 'bad_input',
    });
  }
  const r = LineSchema.safeParse(o);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UserError(`${file}, line ${lineNo}: ${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}.`, {
      file,
      line: lineNo,
      hint: 'A template, annotator or rationale record as `pulse rationales export` writes it (docs/rationale-record.md).',
      code: 'bad_input',
    });
  }
  return r.data;
}

/**
 * Reads a JSONL file of rationale records into the same dataset (by name, or `intoDataset`). All or nothing:
 * a first pass checks every line (JSON, schema, known datasets, template bodies) and refuses the file naming the
 * line; then every record is written in one transaction. Records keep their own identities and times.
 */
export async function importRationales(db: Db, inFile: string, intoDataset?: string): Promise<ImportResult> {
  const file = path.resolve(inFile);
  if (!fs.existsSync(file)) throw new UserError(`No such file: ${inFile}`, { file: inFile, code: 'not_found' });
  const res: ImportResult = {
    file,
    records: 0,
    versions: 0,
    duplicates: 0,
    unmatched: 0,
    refused: 0,
    templates: 0,
    annotators: 0,
    decisions: 0,
    decisionDuplicates: 0,
  };
  const dsCache = new Map<string, number>();
  const datasetId = (name: string, lineNo: number) => {
    let id = dsCache.get(name);
    if (id === undefined) {
      try {
        id = datasetByName(db, name).id;
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        throw new UserError(`${file}, line ${lineNo}: ${e.message}`, { file, line: lineNo, hint: e.hint, code: e.code });
      }
      dsCache.set(name, id);
    }
    return id;
  };

  // Pass 1: every line checked before anything is written.
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    const o = parseLine(file, raw.replace(/^\uFEFF/, ''), ++lineNo);
    if (o?.type === 'rationale') datasetId(intoDataset ?? o.dataset, lineNo);
    if (o?.type === 'template') {
      try {
        parseTemplate(o.body);
      } catch (e) {
        throw new UserError(`${file}, line ${lineNo}: template "${o.name}": ${(e as Error).message}`, {
          file,
          line: lineNo,
          hint: (e as UserError).hint,
          code: 'bad_input',
        });
      }
    }
  }

  // Pass 2: all records in one transaction.
  const userStmt = db.prepare('SELECT idx FROM users WHERE dataset_id = ? AND original_id = ?').pluck();
  const itemStmt = db.prepare('SELECT idx FROM items WHERE dataset_id = ? AND original_id = ?').pluck();
  const posStmt = db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ? AND pos = ?').pluck();
  const findPos = db
    .prepare("SELECT pos FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND item_idx = ? AND split = 'train' ORDER BY pos DESC LIMIT 1")
    .pluck();
  const uidToId = db.prepare('SELECT id FROM rationale_versions WHERE uid = ?').pluck();
  const hasTemplate = db.prepare('SELECT 1 FROM prompt_templates WHERE hash = ?');
  db.transaction(() => {
    for (const [raw, n] of linesSync(file)) {
      const o = parseLine(file, raw, n);
      if (!o) continue;
      if (o.type === 'template') {
        const before = hasTemplate.get(o.hash);
        saveTemplate(db, o.name, o.body, o.created_at);
        if (!before) res.templates++;
        continue;
      }
      if (o.type === 'annotator') {
        importAnnotator(db, o, res);
        continue;
      }
      const dsId = datasetId(intoDataset ?? o.dataset, n);
      const userIdx = userStmt.get(dsId, o.user.original_id) as number | undefined;
      const itemIdx = itemStmt.get(dsId, o.target.original_id) as number | undefined;
      if (userIdx === undefined || itemIdx === undefined) {
        res.unmatched++;
        continue;
      }
      let pos: number | undefined = o.target.pos;
      if (posStmt.get(dsId, userIdx, pos) !== itemIdx) pos = findPos.get(dsId, userIdx, itemIdx) as number | undefined;
      if (pos === undefined) {
        res.unmatched++;
        continue;
      }
      let rationaleId: number;
      try {
        rationaleId = ensureRationale(db, dsId, { userIdx, pos, itemIdx }, o.created_at);
      } catch (e) {
        if ((e as UserError).code !== 'leakage') throw e;
        res.refused++;
        continue;
      }
      for (const v of [...o.versions].sort((a, b) => a.version - b.version)) {
        if (hasVersionUid(db, v.uid)) {
          res.duplicates++;
          continue;
        }
        addVersion(db, {
          rationaleId,
          text: v.text,
          agentKind: v.agent_kind,
          agent: v.agent,
          generationKey: v.generation_key,
          parentVersionId: v.parent_uid ? ((uidToId.get(v.parent_uid) as number | undefined) ?? null) : null,
          uid: v.uid,
          createdAt: v.created_at,
        });
        res.versions++;
      }
      importDecisions(db, rationaleId, o.decisions, res);
      res.records++;
    }
  })();
  return res;
}
