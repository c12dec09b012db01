import { describe, expect, it } from 'vitest';
import { cohenKappa, editDistance, fleissKappa, tokenF1 } from '../../../main/features/review/agreement.js';

const rep = (x: string, n: number) => Array<string>(n).fill(x);

describe('agreement measures against hand-computed values', () => {
  it("Cohen's kappa: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> 0.4", () => {
    // po = 35/50 = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    const a = [...rep('accepted', 25), ...rep('rejected', 25)];
    const b = [...rep('accepted', 20), ...rep('rejected', 5), ...rep('accepted', 10), ...rep('rejected', 15)];
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 10);
  });

  it("Cohen's kappa: perfect agreement 1, systematic disagreement negative, undefined when chance agreement is 1", () => {
    expect(cohenKappa(['accepted', 'rejected', 'edited'], ['accepted', 'rejected', 'edited'])).toBe(1);
    // po = 0; pe = 0.5*0.5 + 0.5*0.5 = 0.5 -> -1
    expect(cohenKappa(['accepted', 'rejected'], ['rejected', 'accepted'])).toBeCloseTo(-1, 10);
    expect(cohenKappa(['accepted', 'accepted'], ['accepted', 'accepted'])).toBeNull();
    expect(cohenKappa([], [])).toBeNull();
  });

  it("Fleiss' kappa: the textbook table (10 subjects, 14 raters, 5 categories) -> 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    expect(fleissKappa(table)).toBeCloseTo(0.20993, 4);
  });

  it("Fleiss' kappa with two raters per subject, hand-computed", () => {
    // 4 subjects, categories (acc, rej): [2,0],[0,2],[1,1],[2,0]. P_i = 1,1,0,1 -> Pbar = 0.75.
    // p = (5/8, 3/8): Pe = 25/64 + 9/64 = 34/64 = 0.53125. kappa = (0.75-0.53125)/(0.46875) = 0.4666...
    expect(
      fleissKappa([
        [2, 0],
        [0, 2],
        [1, 1],
        [2, 0],
      ]),
    ).toBeCloseTo(0.21875 / 0.46875, 10);
    expect(fleissKappa([[1, 0]])).toBeNull();
  });

  it('edit distance and token F1', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    // tokens a: the user likes red pens (5), b: the user likes blue pens (5): common 4 -> P=R=0.8 -> F1=0.8
    expect(tokenF1('The user likes red pens.', 'the user likes blue pens')).toBeCloseTo(0.8, 10);
    expect(tokenF1('a b', 'c d')).toBe(0);
    expect(tokenF1('', '')).toBe(1);
  });
});
