import { describe, expect, it } from 'vitest';
import { PRESETS, resolveConfig, type PresetName } from '../../../main/features/training/sasrec/config.js';
import { createTrainer } from '../../../main/features/training/sasrec/trainer.js';

function data(n: number, nItems: number): Int32Array[] {
  let s = 3;
  return Array.from({ length: n }, (_, u) => {
    const len = 2 + (u % 9);
    // A learnable pattern: item i is mostly followed by item i + 1.
    let cur = 1 + (u % nItems);
    return Int32Array.from({ length: len }, () => {
      s = (s * 1103515245 + 12345) >>> 0;
      cur = s % 10 === 0 ? 1 + (s % nItems) : (cur % nItems) + 1;
      return cur;
    });
  });
}

describe('presets', () => {
  it('reference matches sasrec_ref.py', () => {
    expect(PRESETS.reference).toMatchObject({
      hidden: 64,
      blocks: 2,
      heads: 2,
      inner: 256,
      dropout: 0.5,
      attnDropout: 0.5,
      maxLen: 50,
      lr: 1e-3,
      batch: 256,
      loss: 'ce',
    });
  });

  for (const name of Object.keys(PRESETS) as PresetName[]) {
    it(`${name}: trains and the loss goes down`, () => {
      const t = createTrainer({ sequences: data(200, 30), nItems: 30, config: { ...PRESETS[name], batch: Math.min(PRESETS[name].batch, 64) } });
      const first = t.trainEpoch().loss;
      let last = first;
      for (let e = 0; e < 2; e++) last = t.trainEpoch().loss;
      expect(Number.isFinite(last)).toBe(true);
      expect(last).toBeLessThan(first);
      const s = t.scoreUsers([Int32Array.from([1, 2])]);
      expect(s.length).toBe(31);
      expect(s[0]).toBe(-Infinity);
    });
  }

  it('rejects invalid configs', () => {
    expect(() => resolveConfig('default', { hidden: 10, heads: 3 })).toThrow(/divisible/);
    expect(() => resolveConfig('default', { dropout: 1 })).toThrow(/dropout/);
  });
});
