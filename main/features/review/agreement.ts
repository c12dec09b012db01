/**
 * Inter-annotator agreement on decisions (accepted / edited / rejected / flagged) where several annotators
 * reviewed the same records: Cohen's kappa per pair, Fleiss' kappa overall (the form that allows a different
 * number of raters per record), and for records both annotators edited, Levenshtein distance and token F1
 * between their edited texts. Only standing (not undone) decisions count, each annotator's latest per record.
 */
import type { Agreement, Decision } from '../../../common/contract/review.js';
import type { Db } from '../../platform/storage/database.js';
import { tokens } from './words.js';

export const CATEGORIES: Decision[] = ['accepted', 'edited', 'rejected', 'flagged'];

/** Cohen's kappa of two raters' labels on the same items; null when undefined (no items, or chance agreement 1). */
export function cohenKappa(a: readonly string[], b: readonly string[], categories: readonly string[] = CATEGORIES): number | null {
  const n = a.length;
  if (n === 0 || n !== b.length) return null;
  let agree = 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    ca.set(a[i]!, (ca.get(a[i]!) ?? 0) + 1);
    cb.set(b[i]!, (cb.get(b[i]!) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const c of new Set([...categories, ...ca.keys(), ...cb.keys()])) pe += ((ca.get(c) ?? 0) / n) * ((cb.get(c) ?? 0) / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa from a subjects x categories count table (row i: how many raters put subject i in each category).
 * Rows with fewer than two raters are skipped; rows may have different numbers of raters.
 */
export function fleissKappa(table: readonly (readonly number[])[]): number | null {
  const rows = table.filter((r) => r.reduce((s, x) => s + x, 0) >= 2);
  if (!rows.length) return null;
  const k = rows[0]!.length;
  const totals = new Array<number>(k).fill(0);
  let ratings = 0;
  let pSum = 0;
  for (const r of rows) {
    const n = r.reduce((s, x) => s + x, 0);
    ratings += n;
    r.forEach((x, j) => (totals[j]! += x));
    pSum += r.reduce((s, x) => s + x * (x - 1), 0) / (n * (n - 1));
  }
  const pBar = pSum / rows.length;
  const pe = totals.reduce((s, t) => s + (t / ratings) ** 2, 0);
  if (pe === 1) return null;
  return (pBar - pe) / (1 - pe);
}

/** Levenshtein distance in characters (two-row dynamic programme). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Token F1 (bag of lower-case word tokens, as in SQuAD). Two empty texts agree fully. */
export function tokenF1(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.length && !tb.length) return 1;
  if (!ta.length || !tb.length) return 0;
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const p = common / tb.length;
  const r = common / ta.length;
  return (2 * p * r) / (p + r);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

export function datasetAgreement(db: Db, datasetId: number, datasetName: string): Agreement {
  const rows = db
    .prepare(
      `SELECT s.rationale_id AS rid, a.name AS annotator, s.status, v.text
       FROM review_annotator_state s JOIN annotators a ON a.id = s.annotator_id JOIN rationale_versions v ON v.id = s.version_id
       WHERE s.dataset_id = ? AND s.rationale_id IN (SELECT rationale_id FROM review_annotator_state WHERE dataset_id = ? GROUP BY rationale_id HAVING COUNT(*) >= 2)
       ORDER BY s.rationale_id, a.name`,
    )
    .all(datasetId, datasetId) as Array<{ rid: number; annotator: string; status: Decision; text: string }>;
  const byRecord = new Map<number, Map<string, { status: Decision; text: string }>>();
  for (const r of rows) {
    let m = byRecord.get(r.rid);
    if (!m) byRecord.set(r.rid, (m = new Map()));
    m.set(r.annotator, { status: r.status, text: r.text });
  }
  const annotators = [...new Set(rows.map((r) => r.annotator))].sort();
  const pairs: Agreement['pairs'] = [];
  const allDist: number[] = [];
  const allF1: number[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i]!;
      const b = annotators[j]!;
      const la: string[] = [];
      const lb: string[] = [];
      const dist: number[] = [];
      const f1: number[] = [];
      for (const m of byRecord.values()) {
        const x = m.get(a);
        const y = m.get(b);
        if (!x || !y) continue;
        la.push(x.status);
        lb.push(y.status);
        if (x.status === 'edited' && y.status === 'edited') {
          dist.push(editDistance(x.text, y.text));
          f1.push(tokenF1(x.text, y.text));
        }
      }
      if (!la.length) continue;
      allDist.push(...dist);
      allF1.push(...f1);
      pairs.push({
        a,
        b,
        n: la.length,
        observed: la.filter((x, k) => x === lb[k]).length / la.length,
        kappa: cohenKappa(la, lb),
        edits: dist.length,
        editDistance: mean(dist),
        tokenF1: mean(f1),
      });
    }
  }
  const table = [...byRecord.values()].map((m) => CATEGORIES.map((c) => [...m.values()].filter((x) => x.status === c).length));
  const fk = fleissKappa(table);
  const totalN = pairs.reduce((s, p) => s + p.n, 0);
  const method = annotators.length < 2 ? 'none' : annotators.length === 2 ? 'cohen' : 'fleiss';
  return {
    dataset: datasetName,
    categories: CATEGORIES,
    records: byRecord.size,
    annotators,
    pairs,
    overall: {
      method,
      kappa: method === 'cohen' ? (pairs[0]?.kappa ?? null) : method === 'fleiss' ? fk : null,
      fleissKappa: fk,
      observed: totalN ? pairs.reduce((s, p) => s + (p.observed ?? 0) * p.n, 0) / totalN : null,
      editDistance: mean(allDist),
      tokenF1: mean(allF1),
      edits: allDist.length,
    },
  };
}
