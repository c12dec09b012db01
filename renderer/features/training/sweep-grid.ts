import { TrainSettings } from '../../../common/contract';
import { parseValue, type FieldSpec } from './form-fields';

/** A setting to vary and its values as typed ("0.05, 0.1, 0.2"). */
export interface GridRow {
  key: string;
  values: string;
}

export type GridValue = string | number | boolean;

export interface SweepPlan {
  grid: Record<string, GridValue[]>;
  /** Runs the sweep would create (the product of the value counts). */
  runs: number;
  /** Per row index, what is wrong with it. */
  errors: Map<number, string>;
}

/** Settings a sweep can vary: one value each (not the dataset, name, group, or the list settings). */
export function sweepable(fields: FieldSpec[]): FieldSpec[] {
  return fields.filter((f) => !['dataset', 'name', 'group'].includes(f.key) && f.kind !== 'list');
}

/** Settings only PULSE runs read (their descriptions say so). */
export function isPulseOnly(f: FieldSpec): boolean {
  return f.description.startsWith('pulse');
}

/**
 * The grid a set of rows stands for, each value typed by its field and checked with the run's base settings
 * (the host checks every combination again before it creates any run).
 */
export function sweepPlan(fields: FieldSpec[], rows: GridRow[], base: Record<string, unknown>): SweepPlan {
  const byKey = new Map(sweepable(fields).map((f) => [f.key, f]));
  const grid: Record<string, GridValue[]> = {};
  const errors = new Map<number, string>();
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const f = byKey.get(row.key);
    if (!f) return errors.set(i, row.key ? `${row.key} cannot be swept` : 'Choose a setting');
    if (seen.has(row.key)) return errors.set(i, `${row.key} is already varied above`);
    seen.add(row.key);
    const parts = row.values.split(/[\s,;]+/).filter(Boolean);
    if (!parts.length) return errors.set(i, `Give ${row.key} one or more values, separated by commas`);
    const values: GridValue[] = [];
    for (const part of parts) {
      const p = parseValue(f, part);
      if ('error' in p) return errors.set(i, p.error);
      const check = TrainSettings.safeParse({ ...base, [f.key]: p.value });
      const issue = check.success ? undefined : check.error.issues.find((x) => x.path[0] === f.key);
      if (issue) return errors.set(i, `${f.key} ${part}: ${issue.message}`);
      if (!values.includes(p.value)) values.push(p.value);
    }
    grid[row.key] = values;
  });
  // A PULSE setting varied over SASRec runs would make runs that differ in name only.
  const pulse = base.arch === 'pulse' || (grid.arch ?? []).includes('pulse');
  rows.forEach((row, i) => {
    if (!pulse && !errors.has(i) && row.key in grid && isPulseOnly(byKey.get(row.key)!)) {
      errors.set(i, `${row.key} applies to PULSE runs only: set arch to pulse (or vary arch)`);
      delete grid[row.key];
    }
  });
  const keys = Object.keys(grid);
  const runs = keys.length ? keys.reduce((n, k) => n * grid[k]!.length, 1) : 0;
  return { grid, runs, errors };
}
