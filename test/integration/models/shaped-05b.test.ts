// The 0.5B-shaped model (~0.67 GB file, ~1 GB RAM while loaded) is slow to write and decode on small machines:
// this file runs only with PULSE_SLOW_TESTS=1. It checks that a real-size model loads and decodes, not speed.
import { describe, expect, it } from 'vitest';
import { readGgufInfo } from '../../../main/features/models/gguf-info.js';
import { loadLocalModel } from '../../../main/features/models/runtime.js';
import { QWEN05B_SHAPE, write05bShapedModel } from '../../support/tiny-gguf.js';

describe.skipIf(!process.env.PULSE_SLOW_TESTS)('0.5B-shaped GGUF (PULSE_SLOW_TESTS=1)', () => {
  it('has Qwen2.5-0.5B shapes, loads and decodes', async () => {
    const w = write05bShapedModel();
    const info = await readGgufInfo(w.file);
    expect(info).toMatchObject({
      embeddingLength: QWEN05B_SHAPE.nEmbd,
      layers: QWEN05B_SHAPE.nLayer,
      heads: QWEN05B_SHAPE.nHead,
      headsKv: QWEN05B_SHAPE.nHeadKv,
      vocabularySize: QWEN05B_SHAPE.nVocab,
      quantization: 'Q8_0',
    });
    expect(info.parameters).toBeGreaterThan(600e6);
    const b = await loadLocalModel({ modelPath: w.file, threads: 1, contextSize: 512, parallel: 2 });
    try {
      const out = await b.generateMany(
        [0, 1].map((seed) => ({ prompt: 'the user chose', mode: 'completion' as const, settings: { maxTokens: 4, seed, temperature: 0.7 } })),
      );
      expect(out.map((r) => r.completionTokens)).toEqual([4, 4]);
      expect((await b.embed(['x']))[0]).toHaveLength(QWEN05B_SHAPE.nEmbd);
    } finally {
      await b.dispose();
    }
  }, 600_000);
});
