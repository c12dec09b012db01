import { describe, expect, it } from 'vitest';
import { cosine, dense, denseOperator, pca2, randomizedSvd, symmetricEigen } from '../../../main/base/linalg.js';
import { TfidfEncoder, tfidfTerms } from '../../../main/features/space/tfidf-encoder.js';
import { tempDir } from '../../support/temp.js';

const CORPUS = [
  'History: red lipstick (Maybelline; Makeup, Lips). Chosen item: matte lipstick',
  'History: matte lipstick, lip liner. Chosen item: red lipstick',
  'The user likes bold lip colours and long-lasting lipstick',
  'History: tennis racket (Wilson; Sports). Chosen item: tennis balls',
  'History: tennis balls, grip tape. Chosen item: tennis racket',
  'The user plays tennis and needs racket accessories',
  'History: stapler (Swingline; Office). Chosen item: staples',
  'The user organises the office and buys staples for the stapler',
];

describe('TF-IDF with truncated SVD', () => {
  it('tokenises to unigrams and bigrams, dropping one-letter words', () => {
    expect(tfidfTerms('A Red lipstick, red!')).toEqual(['red', 'lipstick', 'red', 'red lipstick', 'lipstick red']);
  });

  it('fits a deterministic encoder whose space groups texts by topic', async () => {
    const a = TfidfEncoder.fit(CORPUS, { dim: 4, minDf: 1 });
    const b = TfidfEncoder.fit(CORPUS, { dim: 4, minDf: 1 });
    expect(a.id).toBe(b.id);
    expect(a.dim).toBe(4);
    const [lip1, lip2, tennis] = await a.encode(['lipstick red', 'matte lipstick colours', 'tennis racket grip']);
    expect(lip1).toHaveLength(4);
    expect(cosine(lip1!, lip2!)).toBeGreaterThan(cosine(lip1!, tennis!) + 0.3);
    for (const v of [lip1!, lip2!, tennis!]) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    // Unknown words only: a zero vector, not NaN.
    const [none] = await a.encode(['zzz qqq']);
    expect([...none!].every((x) => x === 0)).toBe(true);
  });

  it('caps the width at the corpus rank', () => {
    expect(TfidfEncoder.fit(CORPUS.slice(0, 3), { dim: 128, minDf: 1 }).dim).toBe(3);
  });

  it('serialises vocabulary, idf and projection to a file and back', async () => {
    const t = tempDir();
    try {
      const a = TfidfEncoder.fit(CORPUS, { dim: 5 });
      a.save(`${t.dir}/enc.bin`);
      const b = TfidfEncoder.load(`${t.dir}/enc.bin`);
      expect(b.id).toBe(a.id);
      expect(await b.encode(CORPUS)).toEqual(await a.encode(CORPUS));
    } finally {
      t.cleanup();
    }
  });
});

describe('linear algebra', () => {
  it('randomized SVD recovers the singular values of a small matrix', () => {
    // Rank-2 matrix with singular values 5 and 2 (orthonormal u, v).
    const x = dense(4, 3);
    const u1 = [0.5, 0.5, 0.5, 0.5];
    const u2 = [0.5, -0.5, 0.5, -0.5];
    const v1 = [1, 0, 0];
    const v2 = [0, 0.6, 0.8];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) x.data[i * 3 + j] = 5 * u1[i]! * v1[j]! + 2 * u2[i]! * v2[j]!;
    const { s, v } = randomizedSvd(denseOperator(x), 2, { seed: 3 });
    expect(s[0]).toBeCloseTo(5, 8);
    expect(s[1]).toBeCloseTo(2, 8);
    expect(Math.abs(v.data[0 * 2 + 0]!)).toBeCloseTo(1, 8);
    expect(Math.abs(v.data[2 * 2 + 1]!)).toBeCloseTo(0.8, 8);
  });

  it('symmetric eigen-decomposition', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
  });

  it('PCA to 2-D keeps the main spread and is seeded', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [i, 2 * i + (i % 2) * 0.1, 0.01 * (i % 3)]);
    const a = pca2(rows, 1);
    expect(a.explained[0]).toBeGreaterThan(0.99);
    expect(pca2(rows, 1).points).toEqual(a.points);
  });
});
