import type { RunSummary } from '../../../common/contract';

/** A row of the runs table: a group's header (selects all its runs) or one run. */
export type RunsTableRow = { kind: 'group'; group: string; runs: RunSummary[] } | { kind: 'run'; run: RunSummary; grouped: boolean };

/**
 * Runs in the given order (newest first), each group's runs gathered under one header at the place of the
 * group's first run: a sweep or a set of seeds reads as one block.
 */
export function tableRows(runs: RunSummary[]): RunsTableRow[] {
  const byGroup = new Map<string, RunSummary[]>();
  for (const r of runs) if (r.group !== null) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const rows: RunsTableRow[] = [];
  const done = new Set<string>();
  for (const r of runs) {
    if (r.group === null) rows.push({ kind: 'run', run: r, grouped: false });
    else if (!done.has(r.group)) {
      done.add(r.group);
      const members = byGroup.get(r.group)!;
      rows.push({ kind: 'group', group: r.group, runs: members }, ...members.map((m) => ({ kind: 'run' as const, run: m, grouped: true })));
    }
  }
  return rows;
}

/** The two sides of a comparison: A is the baseline, B the candidate (gains are B over A). */
export interface Sides {
  a: number[];
  b: number[];
}

const ids = (runs: RunSummary[]) => runs.map((r) => r.id).sort((x, y) => x - y);

/** Of two sets, the baseline first: the one that is all SASRec when the other is not, else the older one. */
function baselineFirst(x: RunSummary[], y: RunSummary[]): Sides {
  const plain = (rs: RunSummary[]) => rs.every((r) => r.arch === 'sasrec');
  const oldest = (rs: RunSummary[]) => Math.min(...rs.map((r) => r.id));
  const swap = plain(y) && !plain(x) ? true : plain(x) && !plain(y) ? false : oldest(y) < oldest(x);
  return swap ? { a: ids(y), b: ids(x) } : { a: ids(x), b: ids(y) };
}

/**
 * The sides a selection of runs stands for: two groups (e.g. SASRec seeds vs PULSE seeds), else two
 * architectures, else two runs; anything else puts the whole selection on side A and leaves B to pick.
 */
export function splitSides(runs: RunSummary[], selected: number[]): Sides {
  const sel = runs.filter((r) => selected.includes(r.id));
  const groups = [...new Set(sel.map((r) => r.group))];
  const split = (key: (r: RunSummary) => unknown, values: unknown[]) =>
    baselineFirst(
      sel.filter((r) => key(r) === values[0]),
      sel.filter((r) => key(r) === values[1]),
    );
  if (groups.length === 2 && !groups.includes(null)) return split((r) => r.group, groups);
  const archs = [...new Set(sel.map((r) => r.arch))];
  if (archs.length === 2) return split((r) => r.arch, archs);
  if (sel.length === 2) return baselineFirst([sel[0]!], [sel[1]!]);
  return { a: ids(sel), b: [] };
}

/** Runs of the two sides paired by seed (for the per-user view): the first pair with a shared seed, else the first runs. */
export function pairBySeed(a: RunSummary[], b: RunSummary[]): [RunSummary, RunSummary] | null {
  if (!a.length || !b.length) return null;
  for (const x of a) {
    const y = b.find((r) => r.seed === x.seed);
    if (y) return [x, y];
  }
  return [a[0]!, b[0]!];
}
