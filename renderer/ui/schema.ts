/**
 * Reading a contract schema (zod) in a view: a form takes its bounds, options and descriptions from the schema
 * the host validates with, instead of typing them again.
 */

/** The parts of a zod schema the views read (zod 4 exposes them on the schema object). */
export interface SchemaLike {
  description?: string;
  options?: string[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  _zod?: { def?: { type?: string; innerType?: SchemaLike } };
}

/** The schema under its optional/default/nullable wrappers, the wrapper types from the outside in, and the first description. */
export function unwrapSchema(schema: unknown): { leaf: SchemaLike; types: string[]; description: string } {
  let t = schema as SchemaLike;
  let description = t.description ?? '';
  const types: string[] = [];
  for (;;) {
    types.push(t._zod?.def?.type ?? '');
    if (!description && t.description) description = t.description;
    const inner = t._zod?.def?.innerType;
    if (!inner) break;
    t = inner;
  }
  return { leaf: t, types, description };
}

export interface NumberBounds {
  min?: number;
  max?: number;
  int: boolean;
}

/** zod reports an integer without a bound as the safe-integer limit: that is no bound for a form. */
const bound = (v: number | null | undefined): number | undefined =>
  v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v;

/** Bounds and integer-ness of a number schema (wrappers looked through). */
export function numberBounds(schema: unknown): NumberBounds {
  const { leaf } = unwrapSchema(schema);
  return { min: bound(leaf.minValue), max: bound(leaf.maxValue), int: leaf.isInt ?? false };
}

/** What a typed number becomes: whole when the schema wants an integer, clamped into its bounds; not a number: the minimum (or 0). */
export function clampToBounds(raw: string, b: NumberBounds): number {
  const n = b.int ? Math.floor(Number(raw)) : Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) return b.min ?? 0;
  return Math.min(b.max ?? Infinity, Math.max(b.min ?? -Infinity, n));
}
