/**
 * A small, safe parser for Python literals as written by `repr()` (Amazon 2014 metadata lines): dicts,
 * lists, tuples, str (single/double quotes, escapes, u/b/r prefixes), int, float, True/False/None. It never
 * evaluates anything, and refuses a dict that repeats a key (Python would silently keep the last).
 */
export class PyLiteralError extends Error {}

export function parsePyLiteral(text: string): unknown {
  let p = 0;
  const n = text.length;
  const ws = () => {
    while (p < n && (text[p] === ' ' || text[p] === '\t' || text[p] === '\n' || text[p] === '\r')) p++;
  };
  const fail = (what: string): never => {
    throw new PyLiteralError(`${what} at character ${p + 1}`);
  };
  const value = (): unknown => {
    ws();
    if (p >= n) fail('unexpected end');
    const c = text[p]!;
    if (c === '{') return container('}', true);
    if (c === '[') return container(']', false);
    if (c === '(') return container(')', false);
    if (c === "'" || c === '"') return string(false);
    if ((c === 'u' || c === 'b' || c === 'r' || c === 'U' || c === 'B' || c === 'R') && p + 1 < n) {
      const d = text[p + 1]!;
      if (d === "'" || d === '"') {
        p++;
        return string(c === 'r' || c === 'R');
      }
    }
    if (text.startsWith('True', p)) return ((p += 4), true);
    if (text.startsWith('False', p)) return ((p += 5), false);
    if (text.startsWith('None', p)) return ((p += 4), null);
    const m = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)L?/.exec(text.slice(p, p + 400));
    if (m) {
      const v = Number(m[0].replace(/L$/, ''));
      if (!Number.isFinite(v)) fail('a number too large');
      p += m[0].length;
      return v;
    }
    return fail(`unexpected "${c}"`);
  };
  let depth = 0;
  const container = (close: string, isDict: boolean): unknown => {
    if (++depth > 256) fail('nesting deeper than 256 levels');
    p++;
    const arr: unknown[] = [];
    const obj: Record<string, unknown> = {};
    for (;;) {
      ws();
      if (text[p] === close) {
        p++;
        depth--;
        return isDict ? obj : arr;
      }
      const keyAt = p;
      const k = value();
      if (isDict) {
        ws();
        if (text[p] !== ':') fail('expected ":"');
        p++;
        const key = String(k);
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          p = keyAt;
          fail(`the key ${JSON.stringify(key)} appears twice`);
        }
        // defineProperty: a key "__proto__" is data, never the prototype.
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
      } else arr.push(k);
      ws();
      if (text[p] === ',') p++;
      else if (text[p] !== close) fail(`expected "," or "${close}"`);
    }
  };
  const hex = (digits: number): number => {
    const h = text.slice(p, p + digits);
    if (h.length !== digits || !/^[0-9a-fA-F]+$/.test(h)) fail('a bad escape');
    p += digits;
    return parseInt(h, 16);
  };
  const string = (raw: boolean): string => {
    const q = text[p]!;
    const triple = text.startsWith(q + q + q, p);
    p += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (p >= n) fail('unterminated string');
      const c = text[p]!;
      if (triple ? text.startsWith(q + q + q, p) : c === q) {
        p += triple ? 3 : 1;
        return out;
      }
      if (c === '\\' && !raw) {
        const e = text[p + 1];
        p += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '0':
            out += '\0';
            break;
          case '\\':
            out += '\\';
            break;
          case "'":
            out += "'";
            break;
          case '"':
            out += '"';
            break;
          case '\n':
            break;
          case 'x':
            out += String.fromCharCode(hex(2));
            break;
          case 'u':
            out += String.fromCharCode(hex(4));
            break;
          case 'U': {
            const cp = hex(8);
            if (cp > 0x10ffff) fail('a \\U escape beyond Unicode');
            out += String.fromCodePoint(cp);
            break;
          }
          default:
            out += '\\' + (e ?? '');
        }
        continue;
      }
      out += c;
      p++;
    }
  };
  const v = value();
  ws();
  if (p < n) fail('unexpected text after the value');
  return v;
}
