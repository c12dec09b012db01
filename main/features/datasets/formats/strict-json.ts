/**
 * A strict JSON reader (RFC 8259) for the importers. JSON.parse silently keeps the last of two equal keys and
 * its errors name only a character position; this reader refuses duplicate keys and reports every problem
 * with its line and JSON path, so a person can find it. Values come back as plain JS values. `lineOf` finds
 * the line of a path in the same text, for errors found after parsing (a value of the wrong type).
 */
export type JsonPath = (string | number)[];

export class JsonSyntaxError extends Error {
  constructor(
    readonly what: string,
    readonly offset: number,
    readonly path: JsonPath,
  ) {
    super(what);
  }
}

/** `$["12"][3]`: the JSONPath-style spelling used in messages. */
export function formatPath(path: JsonPath): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `[${JSON.stringify(p)}]`)).join('');
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) line++;
  return line;
}

const MAX_DEPTH = 256;

/** Parses `text` strictly; throws JsonSyntaxError (offset, path). With `target`, returns its offset instead. */
function run(text: string, target?: string): { value: unknown; found: number } {
  let p = 0;
  const n = text.length;
  const path: JsonPath = [];
  let found = -1;
  const fail = (what: string, at = p): never => {
    throw new JsonSyntaxError(what, at, [...path]);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else return;
    }
  };
  const show = (at: number) => (at >= n ? 'the end of the text' : JSON.stringify(text.slice(at, at + 12)));
  const str = (): string => {
    const start = ++p;
    let out = '';
    let from = start;
    for (;;) {
      const c = text.charCodeAt(p);
      if (p >= n) fail('a string that is never closed (missing `"`)', start - 1);
      if (c === 34) {
        out += text.slice(from, p);
        p++;
        return out;
      }
      if (c < 32) fail(`a control character (code ${c}) inside a string; write it as an escape such as \\n`);
      if (c === 92) {
        out += text.slice(from, p);
        const e = text[p + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`a bad \\u escape ${JSON.stringify(text.slice(p, p + 6))}`);
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            fail(`an unknown escape ${JSON.stringify(text.slice(p, p + 2))}`);
        }
        p += 2;
        from = p;
        continue;
      }
      p++;
    }
  };
  const num = (): number => {
    const start = p;
    if (text[p] === '-') p++;
    if (text[p] === '0') p++;
    else if (text.charCodeAt(p) >= 49 && text.charCodeAt(p) <= 57) while (text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
    else fail(`${show(start)} where a value was expected`, start);
    if (text[p] === '.') {
      p++;
      if (!(text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57)) fail('a number with no digits after the decimal point');
      while (text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
    }
    if (text[p] === 'e' || text[p] === 'E') {
      p++;
      if (text[p] === '+' || text[p] === '-') p++;
      if (!(text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57)) fail('a number with no digits in its exponent');
      while (text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
    }
    const v = Number(text.slice(start, p));
    if (!Number.isFinite(v)) fail(`the number ${text.slice(start, Math.min(p, start + 40))} is too large`, start);
    return v;
  };
  const here = () => {
    if (target !== undefined && found < 0 && formatPath(path) === target) found = p;
  };
  const value = (): unknown => {
    ws();
    here();
    const c = text[p];
    if (c === '{') {
      if (path.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      p++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      ws();
      if (text[p] === '}') {
        p++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[p] !== '"') fail(`${show(p)} where a key in double quotes was expected`);
        const keyAt = p;
        const k = str();
        if (seen.has(k)) {
          path.push(k);
          fail(`the key ${JSON.stringify(k)} appears twice in the same object`, keyAt);
        }
        seen.add(k);
        ws();
        if (text[p] !== ':') fail(`${show(p)} where ":" was expected after the key ${JSON.stringify(k)}`);
        p++;
        path.push(k);
        // defineProperty: a key "__proto__" is data, never the prototype.
        Object.defineProperty(obj, k, { value: value(), enumerable: true, writable: true, configurable: true });
        path.pop();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        if (text[p] === '}') {
          p++;
          return obj;
        }
        fail(`${show(p)} where "," or "}" was expected`);
      }
    }
    if (c === '[') {
      if (path.length >= MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
      p++;
      const arr: unknown[] = [];
      ws();
      if (text[p] === ']') {
        p++;
        return arr;
      }
      for (;;) {
        path.push(arr.length);
        arr.push(value());
        path.pop();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        if (text[p] === ']') {
          p++;
          return arr;
        }
        fail(`${show(p)} where "," or "]" was expected`);
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', p)) return ((p += 4), true);
    if (text.startsWith('false', p)) return ((p += 5), false);
    if (text.startsWith('null', p)) return ((p += 4), null);
    return num();
  };
  const v = value();
  ws();
  if (p < n) fail(`${show(p)} after the end of the JSON value`);
  return { value: v, found };
}

export function parseStrictJson(text: string): unknown {
  return run(text).value;
}

/** Offset of the value at `path` in `text` (which must parse), or 0 when it is not there. */
export function offsetOf(text: string, path: JsonPath): number {
  try {
    const r = run(text, formatPath(path));
    return Math.max(0, r.found);
  } catch {
    return 0;
  }
}
