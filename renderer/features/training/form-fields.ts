import { TrainSettings } from '../../../common/contract';
import { numberBounds, unwrapSchema } from '../../ui/schema';

export type FieldKind = 'int' | 'number' | 'enum' | 'bool' | 'text' | 'list' | 'space';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  description: string;
  options?: string[];
  min?: number;
  max?: number;
}

/** Each TrainSettings field with its kind, bounds and description (the tooltip), read from the contract's schema. */
export function trainFields(): FieldSpec[] {
  return Object.entries(TrainSettings.shape).map(([key, schema]) => {
    const { leaf, types, description } = unwrapSchema(schema);
    const type = types[types.length - 1];
    let kind: FieldKind = 'text';
    if (key === 'space') kind = 'space';
    else if (type === 'enum') kind = 'enum';
    else if (type === 'number') kind = leaf.isInt ? 'int' : 'number';
    else if (type === 'boolean') kind = 'bool';
    else if (type === 'array') kind = 'list';
    return {
      key,
      kind,
      description,
      options: kind === 'enum' ? leaf.options : kind === 'bool' ? ['true', 'false'] : undefined,
      ...(kind === 'int' || kind === 'number' ? { min: numberBounds(leaf).min, max: numberBounds(leaf).max } : {}),
    };
  });
}

/** One typed value of a field, or an error a person can act on. */
export function parseValue(f: FieldSpec, raw: string): { value: string | number | boolean } | { error: string } {
  const t = raw.trim();
  if (f.kind === 'int' || f.kind === 'number' || f.kind === 'space') {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n)) return { error: `${f.key}: "${t}" is not a number` };
    if ((f.kind === 'int' || f.kind === 'space') && !Number.isInteger(n)) return { error: `${f.key}: ${t} is not a whole number` };
    return { value: n };
  }
  if (f.kind === 'bool') return t === 'true' || t === 'false' ? { value: t === 'true' } : { error: `${f.key}: use true or false, not "${t}"` };
  if (f.kind === 'enum' && !f.options?.includes(t)) return { error: `${f.key}: "${t}" is not one of ${f.options?.join(', ')}` };
  return { value: t };
}

/** The values typed, as TrainSettings input: empty fields are left to the preset; a value that does not parse passes as typed (the schema reports it). */
export function settingsInput(fields: FieldSpec[], v: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (v[f.key] ?? '').trim();
    if (!raw) continue;
    if (f.kind === 'list') out[f.key] = raw.split(/[\s,]+/).filter(Boolean);
    else {
      const p = parseValue(f, raw);
      out[f.key] = 'value' in p ? p.value : raw;
    }
  }
  return out;
}

/** Field keys a person sees first; the rest sit under "More settings". */
export const PRIMARY = ['dataset', 'arch', 'preset', 'name', 'epochs', 'seed', 'patience', 'evalEvery'];
