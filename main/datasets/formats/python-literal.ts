/**
 * A small, safe parser for Python literals as written by `repr()` (Amazon 2014 metadata lines): dicts,
 * lists, tuples, str (single/double quotes, escapes, u/b/r prefixes), int, float, True/False/None. It never
 * evaluates anything.
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
    const m = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|nan)L?/.exec(text.slice(p, p + 64));
    if (m) {
      p += m[0].length;
      return Number(m[0].replace(/L$/, '').replace('inf', 'Infinity').replace('nan', 'NaN'));
    }
    return fail(`unexpected "${c}"`);
  };
  const container = (close: string, isDict: boolean): unknown => {
    p++;
    const arr: unknown[] = [];
    const obj: Record<string, unknown> = {};
    for (;;) {
      ws();
      if (text[p] === close) {
        p++;
        return isDict ? obj : arr;
      }
      const k = value();
      if (isDict) {
        ws();
        if (text[p] !== ':') fail('expected ":"');
        p++;
        obj[String(k)] = value();
      } else arr.push(k);
      ws();
      if (text[p] === ',') p++;
      else if (text[p] !== close) fail(`expected "," or "${close}"`);
    }
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
            out += String.fromCharCode(parseInt(text.slice(p, p + 2), 16));
            p += 2;
            break;
          case 'u':
            out += String.fromCharCode(parseInt(text.slice(p, p + 4), 16));
            p += 4;
            break;
          case 'U':
            out += String.fromCodePoint(parseInt(text.slice(p, p + 8), 16));
            p += 8;
            break;
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
