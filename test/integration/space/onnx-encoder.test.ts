import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEncoder } from '../../../main/features/space/onnx-encoder.js';
import { WordPieceTokenizer } from '../../../main/features/space/wordpiece.js';
import { tempDir } from '../../support/temp.js';
import { writeTinyOnnx, type TinyOnnx } from '../../support/tiny-onnx.js';

let t: ReturnType<typeof tempDir>;
let tiny: TinyOnnx;
let enc: OnnxEncoder;

beforeAll(async () => {
  t = tempDir();
  tiny = writeTinyOnnx(path.join(t.dir, 'tiny'), { dim: 8 });
  enc = await OnnxEncoder.load(tiny.dir, { batchSize: 2, threads: 1 });
});
afterAll(async () => {
  await enc?.dispose();
  t.cleanup();
});

describe('ONNX sentence encoder on a tiny hand-written model', () => {
  it('tokenises BERT-style with word pieces', () => {
    const tok = WordPieceTokenizer.fromDir(tiny.dir);
    const vocab = tok.config.vocab;
    const ids = tok.encode('Red LIPSTICK, tennis rackets!').ids;
    const names = ids.map((i) => [...vocab.entries()].find(([, v]) => v === i)![0]);
    expect(names).toEqual(['[CLS]', 'red', 'lip', '##stick', ',', 'tennis', 'rack', '##et', '##s', '[UNK]', '[SEP]']);
  });

  it('loads, reports its width, and mean-pools over real tokens only', async () => {
    expect(enc.dim).toBe(8);
    expect(enc.id).toMatch(/^onnx:tiny:[0-9a-f]{12}$/);
    const texts = ['red lipstick', 'the user likes tennis and office staplers and matte beauty', 'ball'];
    const out = await enc.encode(texts);
    expect(out).toHaveLength(3);
    for (const v of out) expect(v).toHaveLength(8);
    // Expected: mean of the embedding rows of [CLS] red lip ##stick [SEP].
    const tok = WordPieceTokenizer.fromDir(tiny.dir);
    const ids = tok.encode('red lipstick').ids;
    for (let c = 0; c < 8; c++) {
      const mean = ids.reduce((s, id) => s + tiny.embedding[id * 8 + c]!, 0) / ids.length;
      expect(out[0]![c]).toBeCloseTo(mean, 5);
    }
  });

  it('is deterministic and independent of batching and padding', async () => {
    const texts = ['red lipstick', 'the user likes tennis and office staplers and matte beauty', 'ball', 'office'];
    const a = await enc.encode(texts);
    const b = await enc.encode(texts);
    expect(b).toEqual(a);
    const single = await Promise.all(texts.map(async (x) => (await enc.encode([x]))[0]!));
    for (let i = 0; i < texts.length; i++) for (let c = 0; c < 8; c++) expect(single[i]![c]).toBeCloseTo(a[i]![c]!, 6);
  });

  it('says clearly when the folder has no model', async () => {
    await expect(OnnxEncoder.load(t.dir)).rejects.toThrow(/No model.onnx/);
  });
});
