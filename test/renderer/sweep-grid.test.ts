import { describe, expect, it } from 'vitest';
import { settingsInput, trainFields } from '../../renderer/features/training/form-fields';
import { sweepable, sweepPlan } from '../../renderer/features/training/sweep-grid';

const fields = trainFields();
const base = { dataset: 'beauty', arch: 'pulse' };

describe('sweep grid', () => {
  it('types each value by its setting and counts the combinations', () => {
    const plan = sweepPlan(
      fields,
      [
        { key: 'auxWeight', values: '0.05, 0.1 0.2' },
        { key: 'seed', values: '1,2,3' },
        { key: 'auxPositions', values: 'all, last' },
        { key: 'reviewedOnly', values: 'true' },
      ],
      base,
    );
    expect(plan.errors.size).toBe(0);
    expect(plan.grid).toEqual({ auxWeight: [0.05, 0.1, 0.2], seed: [1, 2, 3], auxPositions: ['all', 'last'], reviewedOnly: [true] });
    expect(plan.runs).toBe(18);
  });

  it('says which value of which row is wrong, and what was expected', () => {
    const plan = sweepPlan(
      fields,
      [
        { key: 'seed', values: '1, 2.5' },
        { key: 'auxKind', values: 'cosine, dot' },
        { key: 'dropout', values: '0.1, 1.5' },
        { key: 'seed', values: '4' },
        { key: 'dataset', values: 'x' },
        { key: 'lr', values: ' ' },
        { key: 'epochs', values: 'ten' },
      ],
      base,
    );
    expect(plan.errors.get(0)).toBe('seed: 2.5 is not a whole number');
    expect(plan.errors.get(1)).toBe('auxKind: "dot" is not one of cosine, infonce');
    expect(plan.errors.get(2)).toMatch(/^dropout 1\.5: .*1/);
    expect(plan.errors.get(3)).toBe('seed is already varied above');
    expect(plan.errors.get(4)).toBe('dataset cannot be swept');
    expect(plan.errors.get(5)).toMatch(/one or more values/);
    expect(plan.errors.get(6)).toBe('epochs: "ten" is not a number');
  });

  it('refuses to vary a PULSE setting over SASRec runs (they would differ in name only)', () => {
    const rows = [
      { key: 'auxWeight', values: '0.1, 0.2' },
      { key: 'seed', values: '1, 2' },
    ];
    const plan = sweepPlan(fields, rows, { dataset: 'd', arch: 'sasrec' });
    expect(plan.errors.get(0)).toMatch(/applies to PULSE runs only/);
    expect(plan.runs).toBe(2);
    expect(sweepPlan(fields, [...rows, { key: 'arch', values: 'sasrec, pulse' }], { dataset: 'd' }).errors.size).toBe(0);
    expect(sweepPlan(fields, rows, { dataset: 'd' }).errors.size).toBe(1);
  });

  it('offers every single-valued setting but the run identity and lists', () => {
    const keys = sweepable(fields).map((f) => f.key);
    expect(keys).toContain('auxWeight');
    expect(keys).toContain('seed');
    expect(keys).toContain('itemSide');
    for (const k of ['dataset', 'name', 'group', 'testProtocols', 'textCorpus']) expect(keys).not.toContain(k);
  });

  it('the form reads booleans and lists as the schema expects', () => {
    expect(settingsInput(fields, { dataset: 'd', reviewedOnly: 'true', testProtocols: 'full, sampled:100', epochs: '3', seed: '' })).toEqual({
      dataset: 'd',
      reviewedOnly: true,
      testProtocols: ['full', 'sampled:100'],
      epochs: 3,
    });
  });
});
