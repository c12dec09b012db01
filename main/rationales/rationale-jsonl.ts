/**
 * JSONL export and import of rationales in the record's schema (docs/rationale-record.md), every version
 * included. Users and items travel by their original ids, so a file moves into any workspace holding the same
 * dataset. Import is idempotent: a version whose uid is already there is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { UserError } from '../app/errors.js';
import type { Db } from '../storage/database.js';
import {
  annotatorLines,
  exportDecisions,
  importAnnotator,
  importDecisions,
  type AnnotatorLine,
  type DecisionLine,
  type ReviewImportCounts,
} from '../review/review-jsonl.js';
import { addVersion, AGENT_KINDS, allRationales, ensureRationale, hasVersionUid, type AgentKind } from './rationale-store.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { saveTemplate } from './template-store.js';

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

export interface ImportResult extends ReviewImportCounts {
  file: string;
  /** Rationale records read and matched to this workspace's dataset. */
  records: number;
  /** Versions added. */
  versions: number;
  /** Versions already present (same uid): skipped, so re-importing changes nothing. */
  duplicates: number;
  /** Records whose user or item is not in this workspace's dataset. */
  unmatched: number;
  /** Records refused by the leakage rule (their target is not a training item here). */
  refused: number;
  templates: number;
}

/** Reads a JSONL file of rationale records into the same dataset (by name, or `intoDataset`). */
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
  const userStmt = db.prepare('SELECT idx FROM users WHERE dataset_id = ? AND original_id = ?').pluck();
  const itemStmt = db.prepare('SELECT idx FROM items WHERE dataset_id = ? AND original_id = ?').pluck();
  const posStmt = db.prepare('SELECT item_idx FROM interactions WHERE dataset_id = ? AND user_idx = ? AND pos = ?').pluck();
  const findPos = db
    .prepare("SELECT pos FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND item_idx = ? AND split = 'train' ORDER BY pos DESC LIMIT 1")
    .pluck();
  const uidToId = db.prepare('SELECT id FROM rationale_versions WHERE uid = ?').pluck();

  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    if (!raw.trim()) continue;
    let o: RationaleLine | TemplateLine | AnnotatorLine;
    try {
      o = JSON.parse(raw) as RationaleLine | TemplateLine | AnnotatorLine;
    } catch (e) {
      throw new UserError(`Line ${lineNo} is not JSON: ${(e as Error).message}`, { file, line: lineNo, code: 'bad_input' });
    }
    if (o.schema !== RECORD_SCHEMA) {
      throw new UserError(`Line ${lineNo} has schema "${String((o as { schema?: unknown }).schema)}", expected "${RECORD_SCHEMA}".`, {
        file,
        line: lineNo,
        hint: 'Export the file again with this version of PULSE Workbench.',
        code: 'bad_input',
      });
    }
    if (o.type === 'template') {
      const before = db.prepare('SELECT 1 FROM prompt_templates WHERE hash = ?').get(o.hash);
      saveTemplate(db, o.name, o.body, o.created_at);
      if (!before) res.templates++;
      continue;
    }
    if (o.type === 'annotator') {
      importAnnotator(db, o, res);
      continue;
    }
    if (o.type !== 'rationale' || !o.user || !o.target || !Array.isArray(o.versions)) {
      throw new UserError(`Line ${lineNo} is not a rationale record.`, { file, line: lineNo, code: 'bad_input' });
    }
    const dsName = intoDataset ?? o.dataset;
    let dsId = dsCache.get(dsName);
    if (dsId === undefined) {
      dsId = datasetByName(db, dsName).id;
      dsCache.set(dsName, dsId);
    }
    const userIdx = userStmt.get(dsId, String(o.user.original_id)) as number | undefined;
    const itemIdx = itemStmt.get(dsId, String(o.target.original_id)) as number | undefined;
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
    const target = { userIdx, pos, itemIdx };
    const ok = db.transaction(() => {
      let rationaleId: number;
      try {
        rationaleId = ensureRationale(db, dsId!, target);
      } catch (e) {
        if ((e as UserError).code === 'leakage') return false;
        throw e;
      }
      for (const v of [...o.versions].sort((a, b) => a.version - b.version)) {
        if (hasVersionUid(db, v.uid)) {
          res.duplicates++;
          continue;
        }
        if (!AGENT_KINDS.includes(v.agent_kind))
          throw new UserError(`Line ${lineNo}: unknown agent kind "${v.agent_kind}".`, { file, line: lineNo, code: 'bad_input' });
        addVersion(db, {
          rationaleId,
          text: String(v.text),
          agentKind: v.agent_kind,
          agent: v.agent ?? {},
          generationKey: v.generation_key ?? '',
          parentVersionId: v.parent_uid ? ((uidToId.get(v.parent_uid) as number | undefined) ?? null) : null,
          uid: v.uid,
          createdAt: v.created_at,
        });
        res.versions++;
      }
      importDecisions(db, rationaleId, o.decisions, res);
      return true;
    })();
    if (ok) res.records++;
    else res.refused++;
  }
  return res;
}
