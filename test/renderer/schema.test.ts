import { describe, expect, test } from 'vitest';
import { GenerateInput, ImportOptions, TrainSettings } from '../../common/contract';
import { clampToBounds, numberBounds } from '../../renderer/ui/schema';

describe('number fields read their bounds from the contract', () => {
  test('bounds through optional and default wrappers; an unbounded integer has no bound', () => {
    expect(numberBounds(ImportOptions.shape.kcore)).toEqual({ min: 0, max: 1000, int: true });
    expect(numberBounds(ImportOptions.shape.minHistory)).toEqual({ min: 0, max: 10000, int: true });
    expect(numberBounds(GenerateInput.shape.users)).toEqual({ min: 1, max: undefined, int: true });
    expect(numberBounds(GenerateInput.shape.parallel)).toEqual({ min: 1, max: 64, int: true });
  });

  test('what is typed is made whole and clamped; not a number gives the minimum', () => {
    const kcore = numberBounds(ImportOptions.shape.kcore);
    expect(clampToBounds('5.7', kcore)).toBe(5);
    expect(clampToBounds('5000', kcore)).toBe(1000);
    expect(clampToBounds('-3', kcore)).toBe(0);
    expect(clampToBounds('', kcore)).toBe(0);
    expect(clampToBounds('abc', numberBounds(GenerateInput.shape.users))).toBe(1);
    expect(clampToBounds('1e9', numberBounds(GenerateInput.shape.users))).toBe(1e9);
  });

  test('a non-integer schema keeps fractions', () => {
    const b = numberBounds(TrainSettings.shape.lr);
    expect(b.int).toBe(false);
    expect(clampToBounds('0.0005', b)).toBe(0.0005);
  });
});
