import { describe, expect, it } from 'vitest';
import { sequenceSource } from '../../../main/base/sequence-source.js';
import type { RunData } from '../../../main/features/training/run-data.js';
import { feasibleProtocols } from '../../../main/features/training/train-job.js';

// 40 items; one user has seen 10 of them, so 30 negatives are left for sampled ranking.
const data = {
  nItems: 40,
  testHistory: sequenceSource([Int32Array.from({ length: 9 }, (_, i) => i + 1), Int32Array.of(1, 2)]),
  testTarget: Int32Array.of(10, 3),
} as unknown as RunData;

describe('test protocols are checked before training', () => {
  it('drops a default sampled:100 that a small dataset cannot meet, with a warning', () => {
    const warnings: string[] = [];
    expect(feasibleProtocols(['full', 'sampled:100'], data, (m) => warnings.push(m))).toEqual(['full']);
    expect(warnings[0]).toMatch(/sampled:100 needs 100 negatives.*only 30/);
  });

  it('keeps what fits', () => {
    expect(feasibleProtocols(['full', 'sampled:30'], data, () => {})).toEqual(['full', 'sampled:30']);
  });

  it('refuses a protocol the user asked for, saying what to do', () => {
    expect(() => feasibleProtocols(['sampled:50'], data, () => {})).toThrow(/sampled:50 needs 50/);
  });
});
