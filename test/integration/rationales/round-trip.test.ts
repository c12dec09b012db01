/**
 * Lossless round trips (issue 11): what leaves a workspace comes back field for field, timestamps and provenance
 * included. Each test compares two exports as parsed objects, not as strings:
 *  - rationale JSONL: export -> import into a fresh workspace -> export;
 *  - review decisions and annotators (they travel in the same file) the same way, statuses included;
 *  - a workspace backup (`workspace.backup`): restore it as a workspace -> export, and the database content.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, undo } from '../../../main/features/review/decisions.js';
import { ensureAnnotator } from '../../../main/features/review/annotators.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { getRecord } from '../../../main/features/review/review-record.js';
import { exportRationales, importRationales } from '../../../main/features/review/rationale-jsonl.js';
import { addVersion } from '../../../main/features/rationales/rationale-store.js';
import { saveTemplate } from '../../../main/features/rationales/template-store.js';
import { openDatabase, type Db } from '../../../main/platform/storage/database.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { insertDataset, rationaleIds, reviewFixture, type ReviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';
import { workspaceChecksum } from '../../support/workspace-checksum.js';

const t = tempDir('pulse-roundtrip-');
let fx: ReviewFixture;
let original: unknown[];

/** An export as parsed objects, one per line. */
async function exported(db: Db, name: string, file: string): Promise<Record<string, unknown>[]> {
  await exportRationales(db, name, file);
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const statuses = (db: Db) =>
  db
    .prepare(
      'SELECT r.user_original_id, r.target_pos, s.status, s.curated_version_id IS NOT NULL AS curated FROM review_state s JOIN rationales r ON r.id = s.rationale_id ORDER BY 1, 2',
    )
    .all();

beforeAll(async () => {
  fx = reviewFixture(path.join(t.dir, 'a'), { users: 12 });
  const db = fx.db;
  const [a, b, c, d] = rationaleIds(db, fx.datasetId) as [number, number, number, number];
  // Provenance of every kind: a model-written version with its template, a refined child, human edits.
  const tpl = saveTemplate(db, 'why-v2', '=== user ===\nHistory:\n{{history}}\nWhy this one? {{target}}\n', '2024-02-03T04:05:06.789Z');
  const slm = addVersion(db, {
    rationaleId: a,
    text: 'The user keeps buying pens of one brand.',
    agentKind: 'slm',
    agent: { model: { name: 'qwen2.5-0.5b', sha256: 'ab'.repeat(32) }, template: { hash: tpl.hash, name: tpl.name }, settings: { temperature: 0.7, seed: 3 } },
    generationKey: 'cd'.repeat(32),
    createdAt: '2024-03-04T05:06:07.890Z',
  });
  addVersion(db, {
    rationaleId: a,
    text: 'Refined: a loyal pen buyer.',
    agentKind: 'refined',
    agent: { score: 0.42 },
    parentVersionId: slm.id,
    createdAt: '2024-03-05T00:00:00.000Z',
  });
  ensureAnnotator(db, 'lea', { displayName: 'Léa Martin', role: 'lead' });
  const cur = (id: number, who: string) => getRecord(db, DEFAULT_CONFIG, id, who).currentVersionId;
  decide(db, DEFAULT_CONFIG, { rationaleId: a, annotator: 'ann', decision: 'accepted', versionId: cur(a, 'ann'), ms: 1234 });
  decide(db, DEFAULT_CONFIG, {
    rationaleId: b,
    annotator: 'lea',
    decision: 'edited',
    versionId: cur(b, 'lea'),
    text: 'Edited by hand: short and exact.',
    comment: 'tightened',
  });
  decide(db, DEFAULT_CONFIG, { rationaleId: c, annotator: 'ann', decision: 'rejected', versionId: cur(c, 'ann'), reason: DEFAULT_CONFIG.rejectReasons[0]! });
  decide(db, DEFAULT_CONFIG, { rationaleId: d, annotator: 'lea', decision: 'flagged', versionId: cur(d, 'lea'), comment: 'check the item' });
  undo(db, 'lea', d);
  // Timestamps far from "now", so an importer that stamps the import time shows up.
  db.prepare("UPDATE rationales SET created_at = '2023-01-0' || (1 + id % 9) || 'T10:00:00.000Z'").run();
  db.prepare("UPDATE annotators SET created_at = '2023-06-07T08:09:10.111Z' WHERE name = 'lea'").run();
  db.prepare("UPDATE annotators SET created_at = '2023-06-08T00:00:00.000Z' WHERE name = 'ann'").run();
  original = await exported(db, fx.name, path.join(t.dir, 'original.jsonl'));
});
afterAll(() => {
  fx.db.close();
  t.cleanup();
});

/** A fresh workspace holding the same dataset (same seed). */
function fresh(name: string): Db {
  fs.mkdirSync(path.join(t.dir, name), { recursive: true });
  const db = openDatabase(path.join(t.dir, name, 'workspace.sqlite'));
  insertDataset(db, fx.name, { users: 12, items: 60 });
  return db;
}

describe('lossless round trips', () => {
  it('rationale JSONL: export, import into a fresh workspace, export again gives the same records field for field', async () => {
    const kinds = original.map((o) => (o as { type: string }).type);
    expect(kinds).toEqual(expect.arrayContaining(['template', 'annotator', 'rationale']));
    const db = fresh('b');
    const im = await importRationales(db, path.join(t.dir, 'original.jsonl'));
    expect(im).toMatchObject({ records: 12, unmatched: 0, refused: 0, templates: 1, annotators: 2, decisions: 5 });
    const again = await exported(db, fx.name, path.join(t.dir, 'again.jsonl'));
    expect(again).toEqual(original);
    db.close();
  });

  it('review decisions and annotators: every field (uid, version, reason, comment, undo, ms, created_at) and the statuses they give', async () => {
    const db = fresh('c');
    await importRationales(db, path.join(t.dir, 'original.jsonl'));
    const again = await exported(db, fx.name, path.join(t.dir, 'again-c.jsonl'));
    const decisions = (xs: unknown[]) => xs.flatMap((o) => ((o as { decisions?: unknown[] }).decisions ?? []) as unknown[]);
    const people = (xs: unknown[]) => xs.filter((o) => (o as { type: string }).type === 'annotator');
    expect(decisions(original)).toHaveLength(5);
    expect(decisions(again)).toEqual(decisions(original));
    expect(people(again)).toEqual(people(original));
    expect(people(original)).toContainEqual(
      expect.objectContaining({ name: 'lea', display_name: 'Léa Martin', role: 'lead', created_at: '2023-06-07T08:09:10.111Z' }),
    );
    expect(statuses(db)).toEqual(statuses(fx.db));
    db.close();
  });

  it('workspace backup: restored as a workspace, it exports the same records and holds the same rows', async () => {
    const ws = Workspace.open(path.join(t.dir, 'live'));
    ws.db.close();
    fs.rmSync(ws.databaseFile);
    // The live workspace: a copy of the fixture's database (checkpointed, so the copy holds every row).
    fx.db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(t.dir, 'a', 'workspace.sqlite'), ws.databaseFile);
    const live = Workspace.open(ws.dir);
    const backup = await live.backup(path.join(t.dir, 'backups', 'ws.sqlite'));
    expect(backup.bytes).toBeGreaterThan(0);
    const before = workspaceChecksum(live.db);
    const fromLive = await exported(live.db, fx.name, path.join(t.dir, 'live.jsonl'));
    // Restore: the backup file becomes the database of a new workspace folder (docs/rationale-record.md, "Backups").
    const restoredDir = path.join(t.dir, 'restored');
    fs.mkdirSync(restoredDir);
    fs.copyFileSync(backup.file, path.join(restoredDir, 'workspace.sqlite'));
    const restored = Workspace.open(restoredDir);
    expect(restored.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(await exported(restored.db, fx.name, path.join(t.dir, 'restored.jsonl'))).toEqual(fromLive);
    expect(fromLive).toEqual(original);
    expect(workspaceChecksum(restored.db)).toBe(before);
    restored.close();
    live.close();
  });

  it('a damaged export is refused whole, naming the line, and writes nothing', async () => {
    const lines = fs.readFileSync(path.join(t.dir, 'original.jsonl'), 'utf8').trim().split('\n');
    const k = lines.length - 2;
    const bad = JSON.parse(lines[k]!) as { versions: { agent_kind: string }[] };
    bad.versions[0]!.agent_kind = 'oracle';
    const file = path.join(t.dir, 'damaged.jsonl');
    fs.writeFileSync(file, [...lines.slice(0, k), JSON.stringify(bad), ...lines.slice(k + 1)].join('\n') + '\n');
    const db = fresh('d');
    const before = workspaceChecksum(db);
    await expect(importRationales(db, file)).rejects.toMatchObject({ file, line: k + 1, message: expect.stringContaining('versions.0.agent_kind') });
    fs.writeFileSync(file, [...lines.slice(0, k), lines[k]!.slice(0, 40)].join('\n'));
    await expect(importRationales(db, file)).rejects.toMatchObject({ file, line: k + 1, message: expect.stringContaining('not JSON') });
    expect(workspaceChecksum(db)).toBe(before);
    db.close();
  });
});
