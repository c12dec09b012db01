import { describe, expect, it } from 'vitest';
import { PyLiteralError, parsePyLiteral } from '../../../main/features/datasets/formats/python-literal.js';

describe('Python literal parser', () => {
  it('parses repr() output of dicts, lists, tuples, strings, numbers and constants', () => {
    expect(parsePyLiteral("{'a': 1, 'b': [1.5, -2, 3e2], 'c': (True, False, None), \"d\": 'it\\'s', 'e': u'x\\u00e9', 'f': {}}")).toEqual({
      a: 1,
      b: [1.5, -2, 300],
      c: [true, false, null],
      d: "it's",
      e: 'xé',
      f: {},
    });
    expect(parsePyLiteral("{'salesRank': {'Beauty': 12}, 'categories': [['A', 'B'],],}")).toEqual({ salesRank: { Beauty: 12 }, categories: [['A', 'B']] });
    expect(parsePyLiteral("'a\\nb\\\\c\\x41'")).toBe('a\nb\\cA');
    expect(parsePyLiteral('"double \'quoted\'"')).toBe("double 'quoted'");
  });

  it('rejects anything that is not a literal, never evaluating it', () => {
    expect(() => parsePyLiteral("__import__('os').system('true')")).toThrow(PyLiteralError);
    expect(() => parsePyLiteral("{'a': 1")).toThrow(PyLiteralError);
    expect(() => parsePyLiteral("{'a': 1} extra")).toThrow(PyLiteralError);
    expect(() => parsePyLiteral("'unterminated")).toThrow(PyLiteralError);
  });
});
