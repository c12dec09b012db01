import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufEncoder } from '../../../main/features/space/gguf-encoder.js';
import { makeTempDir, TINY_SHAPE, writeTinyModel } from '../../support/tiny-gguf.js';

let dir: string;
let enc: GgufEncoder;

beforeAll(async () => {
  dir = makeTempDir('pulse-space-gguf-');
  const model = writeTinyModel(dir, { chatTemplate: false });
  enc = await GgufEncoder.load(model.file, { threads: 2, contextSize: 128 });
});
afterAll(async () => {
  await enc?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GGUF embeddings on the tiny GGUF (node-llama-cpp)', () => {
  it('gives one finite vector of the model width per text, deterministically', async () => {
    expect(enc.dim).toBe(TINY_SHAPE.nEmbd);
    expect(enc.id).toMatch(/^gguf:tiny-notemplate\.gguf:[0-9a-f]{12}$/);
    const texts = ['History: red lipstick. Chosen item: matte lipstick', 'The user plays tennis'];
    const a = await enc.encode(texts);
    expect(a).toHaveLength(2);
    for (const v of a) {
      expect(v).toHaveLength(TINY_SHAPE.nEmbd);
      expect([...v].every(Number.isFinite)).toBe(true);
    }
    expect(await enc.encode(texts)).toEqual(a);
  });

  it('cuts texts longer than the embedding context instead of failing', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const [v] = await enc.encode([long]);
    expect(v).toHaveLength(TINY_SHAPE.nEmbd);
  });

  it('says clearly when the file is missing', async () => {
    await expect(GgufEncoder.load(path.join(dir, 'nope.gguf'))).rejects.toThrow(/No GGUF model/);
  });
});
