/**
 * Payloads for the door tests, derived from a method's zod input schema (common/contract), so that a new
 * method or field is attacked without anyone listing it: wrongly typed payloads (each one checked to fail the
 * schema) and a plausible payload (one that passes the schema but names things that do not exist).
 */
import type { z } from 'zod';

type Schema = z.ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: Schema[];
  items?: Schema[];
  in?: Schema;
}

const def = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/nullable/readonly/pipe wrappers. */
function core(s: Schema): Schema {
  let d = def(s);
  while (d.innerType || d.type === 'pipe') {
    s = d.innerType ?? d.in!;
    d = def(s);
  }
  return s;
}

function optional(s: Schema): boolean {
  return (s as unknown as { _zod: { optin?: string } })._zod.optin === 'optional';
}

/** Values of every JSON type, plus strings and numbers that stress validators. */
export const WRONG_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  -1e308,
  2 ** 53 + 2,
  '',
  'text',
  '../../../../etc/passwd',
  '\u0000\u202e\ud800',
  'x'.repeat(70_000),
  [],
  [null, 1, 'a', {}],
  {},
  { nested: { deeper: [1, { x: 'y' }] } },
];

export interface Payload {
  label: string;
  body: unknown;
}

/** Deterministic payloads that `schema` must refuse (each is checked with safeParse before it is returned). */
export function wrongPayloads(schema: Schema, base: Record<string, unknown>): Payload[] {
  const out: Payload[] = [];
  const push = (label: string, body: unknown): void => {
    if (!schema.safeParse(body).success) out.push({ label, body });
  };
  for (const v of [null, [], 'text', 42, true, [{}]]) push(`top level ${JSON.stringify(v)}`, v);
  push('unknown key', { ...base, pulseDoorUnknownKey: 1 });
  push('__proto__ key', JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(base).slice(1, -1) || '"x": 1'}}`));
  push('constructor key', { ...base, constructor: { prototype: { polluted: true } } });
  const s = core(schema);
  if (def(s).type !== 'object') return out;
  mutateObject(s, base, '', (v) => v, push);
  return out;
}

/** Mutates each field of `base` (an object of schema `s`); `root` puts the mutated object back into the whole body. */
function mutateObject(
  s: Schema,
  base: Record<string, unknown>,
  prefix: string,
  root: (v: unknown) => unknown,
  push: (label: string, body: unknown) => void,
): void {
  const shape = def(s).shape ?? {};
  for (const [key, field] of Object.entries(shape)) {
    const at = prefix + key;
    if (!optional(field)) {
      const { [key]: _gone, ...rest } = base;
      push(`${at} missing`, root(rest));
    }
    for (const v of WRONG_VALUES) push(`${at} = ${JSON.stringify(v).slice(0, 40)}`, root({ ...base, [key]: v }));
    const inner = core(field);
    if (def(inner).type === 'array') {
      for (const v of WRONG_VALUES) push(`${at}[0] = ${JSON.stringify(v).slice(0, 40)}`, root({ ...base, [key]: [v] }));
      push(`${at} with 200,001 elements`, root({ ...base, [key]: new Array(200_001).fill(1) }));
    }
    if (def(inner).type === 'object' && prefix.split('.').length < 4) {
      const nested = plausible(inner);
      if (nested && typeof nested === 'object') mutateObject(inner, nested as Record<string, unknown>, `${at}.`, (v) => root({ ...base, [key]: v }), push);
    }
  }
}

/** Strings tried in order for a string field: the first its checks accept is used. */
export function plausibleStrings(missingPath: string): string[] {
  return [missingPath, 'door-test-missing', 'tfidf', 'full', 'hr@10', 'a'.repeat(64), 'http://127.0.0.1:9/v1'];
}

const NUMBERS = [987_654, 1, 0, 2, 256, 0.5];

/**
 * A value `schema` accepts, built from its own checks: ids that do not exist, names nobody imported, paths under
 * a folder that does not exist. Optional fields are added only when the value needs them to pass a refinement.
 */
export function plausible(schema: Schema, strings: string[] = plausibleStrings('/nonexistent/door-test')): unknown {
  const pick = (candidates: unknown[]): unknown => candidates.find((c) => schema.safeParse(c).success);
  const s = core(schema);
  const d = def(s);
  switch (d.type) {
    case 'string':
      return pick(strings);
    case 'number':
    case 'int':
      return pick(NUMBERS);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'enum':
      return Object.values(d.entries!)[0];
    case 'literal':
      return d.values![0];
    case 'array': {
      const el = plausible(d.element!, strings);
      return pick([[el], [el, el], []]);
    }
    case 'tuple':
      return d.items!.map((i) => plausible(i, strings));
    case 'union':
      for (const o of d.options!) {
        const v = plausible(o, strings);
        if (schema.safeParse(v).success) return v;
      }
      return undefined;
    case 'record':
      return {};
    case 'object': {
      const shape = d.shape ?? {};
      const required: Record<string, unknown> = {};
      const extras: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(shape)) {
        if (optional(f)) extras[k] = plausible(f, strings);
        else required[k] = plausible(f, strings);
      }
      if (schema.safeParse(required).success) return required;
      for (const [k, v] of Object.entries(extras)) {
        const withOne = { ...required, [k]: v };
        if (schema.safeParse(withOne).success) return withOne;
      }
      return { ...required, ...extras };
    }
    default:
      return null;
  }
}
