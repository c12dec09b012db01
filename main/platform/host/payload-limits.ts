import { UserError } from '../../base/errors.js';

/**
 * The largest call payload any door accepts, in bytes of JSON. The biggest legitimate one is `space.embed`
 * (256 texts of at most 20,000 characters: about 5 MB of ASCII, up to 15 MB of 3-byte UTF-8).
 */
export const MAX_CALL_BYTES = 16 * 1024 * 1024;

export function tooLarge(what: string, bytes: number | null, limit: number): UserError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
  return new UserError(`${what} is too large${bytes !== null ? ` (${mib(bytes)})` : ''}: the limit is ${mib(limit)}.`, {
    code: 'too_large',
    hint: 'Send less at once (for a large file, import it from its path instead of sending its content).',
  });
}

/**
 * Checks that an IPC payload is a plain JSON value (what the contract describes) of at most `limit` bytes, as
 * JSON would count them, nested at most MAX_JSON_DEPTH levels. Electron's structured clone also carries Maps,
 * Dates, typed arrays, BigInts and cycles: none is part of any contract method, so they are refused here.
 */
export function assertJsonPayload(value: unknown, limit = MAX_CALL_BYTES): void {
  let size = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const add = (n: number): void => {
    size += n;
    if (size > limit) throw tooLarge('The request', null, limit);
  };
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || v === undefined || typeof v === 'boolean') add(5);
    else if (typeof v === 'number') add(Number.isFinite(v) ? 8 : invalid(`a number that JSON cannot carry (${v})`));
    else if (typeof v === 'string') add(v.length + 2);
    else if (typeof v === 'object') {
      // Also ends cycles, which structured clone carries and JSON cannot.
      if (depth >= MAX_JSON_DEPTH) invalid(`nesting deeper than ${MAX_JSON_DEPTH} levels (or a cycle)`);
      if (Array.isArray(v)) {
        add(2 + v.length);
        for (const x of v) stack.push([x, depth + 1]);
      } else {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) invalid(`a ${(v as object).constructor?.name ?? 'non-plain'} object`);
        for (const [k, x] of Object.entries(v)) {
          add(k.length + 4);
          stack.push([x, depth + 1]);
        }
      }
    } else invalid(`a ${typeof v}`);
  }
}

function invalid(found: string): never {
  throw new UserError(`The request must be plain JSON data; found ${found}.`, { code: 'invalid_input' });
}

/** Deeper than any contract input (they nest four levels at most); V8 takes seconds to parse 10 MB of `[[[[`. */
export const MAX_JSON_DEPTH = 64;

/** Refuses JSON text nested deeper than `max` before it is parsed (a linear scan that skips strings). */
export function assertJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max)
        throw new UserError(`The request is nested deeper than ${max} levels.`, {
          code: 'invalid_input',
          hint: 'Send the flat objects the contract describes.',
        });
    } else if (c === 93 || c === 125) depth--;
  }
}
