import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThoughtSpace, trainSpace } from '../../../main/features/space/space-model.js';
import type { SpacePair } from '../../../main/features/space/space-data.js';
import { tempDir } from '../../support/temp.js';
import { TINY_SHAPE, writeTinyModel } from '../../support/tiny-gguf.js';
import { writeTinyOnnx } from '../../support/tiny-onnx.js';

const WORDS = ['red lipstick', 'matte lipstick', 'tennis racket', 'tennis balls', 'office stapler', 'beauty brand', 'sports game'];

function pairs(n: number): SpacePair[] {
  return Array.from({ length: n }, (_, i) => ({
    userIdx: i,
    userOriginalId: `u${i}`,
    rationaleId: i + 1,
    versionId: i + 1,
    versionUid: `v${i}`,
    targetPos: 3,
    targetItemIdx: i % WORDS.length,
    behaviour: `History: ${WORDS[i % WORDS.length]}, ${WORDS[(i * 3) % WORDS.length]}. Chosen item: ${WORDS[(i + 1) % WORDS.length]}`,
    rationale: `The user likes ${WORDS[(i + 1) % WORDS.length]} and the ${WORDS[i % WORDS.length]}`,
  }));
}

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('pulse-space-enc-');
});
afterAll(() => t.cleanup());

describe('spaces on every kind of frozen encoder', () => {
  it('onnx:DIR — trains, saves, reopens and embeds with the same encoder id', async () => {
    const tiny = writeTinyOnnx(path.join(t.dir, 'onnx'), { dim: 8 });
    const dir = path.join(t.dir, 'space-onnx');
    const { meta } = await trainSpace({ dir, encoder: `onnx:${tiny.dir}`, pairs: pairs(24), dataset: { name: 'x', contentHash: 'h' }, config: { epochs: 2 } });
    expect(meta.encoder.dim).toBe(8);
    expect(meta.encoder.id).toMatch(/^onnx:onnx:/);
    const space = await ThoughtSpace.open(dir);
    try {
      const [v] = await space.embed(['red lipstick'], 'rationale');
      expect(v).toHaveLength(8);
      expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
    } finally {
      await space.dispose();
    }
  });

  it('gguf:PATH — trains on node-llama-cpp embeddings of the tiny GGUF and reopens', async () => {
    const model = writeTinyModel(t.dir, { chatTemplate: false });
    const dir = path.join(t.dir, 'space-gguf');
    const { meta } = await trainSpace({
      dir,
      encoder: `gguf:${model.file}`,
      pairs: pairs(12),
      dataset: { name: 'x', contentHash: 'h' },
      config: { epochs: 1 },
      threads: 2,
    });
    expect(meta.encoder.dim).toBe(TINY_SHAPE.nEmbd);
    const space = await ThoughtSpace.open(dir, { threads: 2 });
    try {
      const [v] = await space.embed(['History: tennis balls. Chosen item: tennis racket'], 'behaviour');
      expect(v).toHaveLength(TINY_SHAPE.nEmbd);
    } finally {
      await space.dispose();
    }
    // A changed model file is caught instead of silently mixing spaces.
    fs.appendFileSync(model.file, Buffer.alloc(64));
    await expect(ThoughtSpace.open(dir, { threads: 2 })).rejects.toThrow(/encoder/);
  });

  it('refuses to train on fewer than 4 users, saying what to do', async () => {
    await expect(trainSpace({ dir: path.join(t.dir, 'few'), encoder: 'tfidf', pairs: pairs(3), dataset: { name: 'x', contentHash: 'h' } })).rejects.toThrow(
      /at least 4 users/,
    );
  });
});
