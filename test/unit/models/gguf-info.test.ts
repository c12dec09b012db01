import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatParameters, readGgufInfo, splitPartsOf } from '../../../main/features/models/gguf-info.js';
import { estimateMemoryFit } from '../../../main/features/models/memory-fit.js';
import { makeTempDir, QWEN05B_SHAPE, TINY_SHAPE, writeTinyGguf, writeTinyModel } from '../../support/tiny-gguf.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readGgufInfo', () => {
  it('reads the tiny model metadata', async () => {
    const w = writeTinyModel(dir, { chatTemplate: true });
    const info = await readGgufInfo(w.file);
    expect(info).toMatchObject({
      file: w.file,
      parts: [w.file],
      fileBytes: w.bytes,
      ggufVersion: 3,
      architecture: 'llama',
      parameters: w.parameters,
      fileType: 'ALL_F32',
      quantization: 'F32',
      contextLength: TINY_SHAPE.contextLength,
      embeddingLength: TINY_SHAPE.nEmbd,
      layers: TINY_SHAPE.nLayer,
      heads: TINY_SHAPE.nHead,
      headsKv: TINY_SHAPE.nHeadKv,
      vocabularySize: TINY_SHAPE.nVocab,
      hasChatTemplate: true,
    });
    const headDim = TINY_SHAPE.nEmbd / TINY_SHAPE.nHead;
    expect(info.kvBytesPerToken).toBe(TINY_SHAPE.nLayer * TINY_SHAPE.nHeadKv! * headDim * 2 * 2);
  });

  it('sees a missing chat template and other weight types', async () => {
    const w = writeTinyGguf(path.join(dir, 'q8.gguf'), { chatTemplate: false, weightType: 'q8_0', nEmbd: 64, nFf: 128 });
    const info = await readGgufInfo(w.file);
    expect(info.hasChatTemplate).toBe(false);
    expect(info.fileType).toBe('MOSTLY_Q8_0');
    expect(info.quantization).toBe('Q8_0');
    const f16 = await readGgufInfo(writeTinyGguf(path.join(dir, 'f16.gguf'), { weightType: 'f16' }).file);
    expect(f16.quantization).toBe('F16');
  });

  it('fails clearly on a broken or missing file', async () => {
    const bad = path.join(dir, 'bad.gguf');
    fs.writeFileSync(bad, 'GGUF but not really');
    await expect(readGgufInfo(bad)).rejects.toThrow(/Not a readable GGUF/);
    const whole = fs.readFileSync(writeTinyModel(dir, { chatTemplate: false }).file);
    const cut = path.join(dir, 'cut.gguf');
    fs.writeFileSync(cut, whole.subarray(0, 2000)); // inside the vocabulary
    await expect(readGgufInfo(cut)).rejects.toThrow(/Not a readable GGUF/);
    await expect(readGgufInfo(path.join(dir, 'm-00001-of-00002.gguf'))).rejects.toThrow(/Missing model files/);
  });
});

describe('splitPartsOf', () => {
  it('names every part of a split model', () => {
    expect(splitPartsOf('/m/qwen-00002-of-00003.gguf')).toEqual({
      part: 2,
      parts: 3,
      files: ['/m/qwen-00001-of-00003.gguf', '/m/qwen-00002-of-00003.gguf', '/m/qwen-00003-of-00003.gguf'],
    });
    expect(splitPartsOf('/m/qwen.gguf')).toBeNull();
  });
  it('formats parameter counts', () => {
    expect(formatParameters(494_000_000)).toBe('494M');
    expect(formatParameters(3_840_000_000)).toBe('3.8B');
  });
});

describe('estimateMemoryFit', () => {
  const GiB = 1024 ** 3;
  const headDim = QWEN05B_SHAPE.nEmbd / QWEN05B_SHAPE.nHead;
  const qwen05 = { fileBytes: 0.5 * GiB, kvBytesPerToken: QWEN05B_SHAPE.nLayer * 2 * headDim * 2 * 2 };
  it('applies the documented thresholds', () => {
    const big = { totalBytes: 16 * GiB, availableBytes: 12 * GiB };
    expect(estimateMemoryFit(qwen05, { contextSize: 4096, memory: big }).verdict).toBe('fits');
    const fit = estimateMemoryFit(qwen05, { contextSize: 4096, sequences: 4, memory: big });
    expect(fit.kvCacheBytes).toBe(qwen05.kvBytesPerToken * 4096 * 4);
    expect(fit.needBytes).toBe(fit.weightsBytes + fit.kvCacheBytes + fit.overheadBytes);
    expect(
      estimateMemoryFit({ fileBytes: 7 * GiB, kvBytesPerToken: 0 }, { contextSize: 1, memory: { totalBytes: 16 * GiB, availableBytes: 8 * GiB } }).verdict,
    ).toBe('tight');
    const tooLarge = estimateMemoryFit({ fileBytes: 30 * GiB, kvBytesPerToken: 0 }, { contextSize: 1, memory: big });
    expect(tooLarge.verdict).toBe('too-large');
    expect(tooLarge.explanation).toMatch(/Too large/);
  });
  it('uses this machine when no memory state is given', () => {
    const f = estimateMemoryFit(qwen05, { contextSize: 2048 });
    expect(f.totalBytes).toBeGreaterThan(0);
    expect(f.availableBytes).toBeGreaterThan(0);
  });
});
