/**
 * Small datasets for the training-run tests: a seeded synthetic one inserted straight into a workspace (no
 * shared data needed), a fake job context to run 'train.run' in-process, and the first N users of Beauty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JobCancelled, type JobContext } from '../../main/platform/jobs/job-context.js';
import type { Db } from '../../main/platform/storage/database.js';
import { Rng } from '../../main/base/rng.js';
import type { Workspace } from '../../main/platform/workspace/workspace.js';
import { dataSet } from './data.js';

export interface SyntheticOptions {
  users?: number;
  items?: number;
  seed?: number;
  /** Replaces the last two items (validation and test) of every user: for leak tests. */
  heldOut?: (user: number, seq: number[]) => [number, number];
}

/** Users with 2..14 interactions drawn around a per-user taste; items have titles and brands. Returns sequences. */
export function insertSynthetic(db: Db, name: string, o: SyntheticOptions = {}): number[][] {
  const nU = o.users ?? 120;
  const nI = o.items ?? 60;
  const rng = new Rng(o.seed ?? 7);
  const seqs: number[][] = [];
  for (let u = 0; u < nU; u++) {
    const len = 2 + rng.int(13);
    const base = rng.int(nI);
    const s: number[] = [];
    for (let k = 0; k < len; k++) s.push((base + rng.int(8) + k) % nI);
    if (o.heldOut && s.length >= 3) {
      const [v, t] = o.heldOut(u, s);
      s[s.length - 2] = v;
      s[s.length - 1] = t;
    }
    seqs.push(s);
  }
  db.transaction(() => {
    const id = Number(
      db
        .prepare("INSERT INTO datasets(name, format, source, content_hash) VALUES (?, 'csv', 'synthetic test', ?)")
        .run(name, `h-${name}-${JSON.stringify(seqs).length}-${seqs.flat().reduce((a, b) => (a * 31 + b) % 1e9, 7)}`).lastInsertRowid,
    );
    const addItem = db.prepare('INSERT INTO items(dataset_id, idx, original_id, title, brand, categories) VALUES (?, ?, ?, ?, ?, ?)');
    const colours = ['red', 'blue', 'green', 'gold', 'black'];
    for (let i = 0; i < nI; i++) addItem.run(id, i, `I${i}`, `${colours[i % 5]} lipstick number ${i}`, `brand${i % 7}`, `Beauty > Makeup > ${colours[i % 5]}`);
    const addUser = db.prepare('INSERT INTO users(dataset_id, idx, original_id, n_interactions) VALUES (?, ?, ?, ?)');
    const addInter = db.prepare('INSERT INTO interactions(dataset_id, user_idx, pos, item_idx, rating, ts) VALUES (?, ?, ?, ?, ?, ?)');
    seqs.forEach((s, u) => {
      addUser.run(id, u, `U${u}`, s.length);
      s.forEach((it, pos) => addInter.run(id, u, pos, it, 5, 1000 + pos));
    });
    db.prepare('UPDATE datasets SET n_users = ?, n_items = ?, n_interactions = ? WHERE id = ?').run(nU, nI, seqs.flat().length, id);
  })();
  return seqs;
}

/** A JobContext for running a job handler in-process; `cancelWhen` flips cancel from inside progress/event calls. */
export function fakeJobContext<P>(ws: Workspace, params: P, o: { cancelWhen?: (events: { name: string; data: unknown }[]) => boolean } = {}) {
  const jobId = Number(
    ws.db.prepare("INSERT INTO jobs(kind, title, state, params) VALUES ('train.run', 'test', 'running', ?)").run(JSON.stringify(params)).lastInsertRowid,
  );
  const events: { name: string; data: unknown }[] = [];
  const logs: string[] = [];
  let cancelled = false;
  const ctx: JobContext<P> = {
    jobId,
    params,
    resumedFrom: null,
    workspace: ws,
    progress: () => undefined,
    event: (name, data) => {
      events.push({ name, data });
      if (o.cancelWhen?.(events)) cancelled = true;
    },
    log: (m) => void logs.push(m),
    get cancelled() {
      return cancelled;
    },
    throwIfCancelled() {
      if (cancelled) throw new JobCancelled();
    },
  };
  return { ctx, events, logs };
}

/** Writes the first `n` users of Beauty (S3-Rec text) to `dir`; null when the shared data is absent. */
export function beautySubset(dir: string, n: number): string | null {
  const src = dataSet('amazon_beauty_s3rec');
  if (!src) return null;
  const lines = fs.readFileSync(path.join(src, 'Beauty.txt'), 'utf8').split('\n').slice(0, n);
  const out = path.join(dir, 'beauty_subset');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'Beauty.txt'), lines.join('\n') + '\n');
  return out;
}
