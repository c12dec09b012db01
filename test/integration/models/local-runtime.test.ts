// Tests use threads: 1: llama.cpp worker threads spin-wait, and on a shared 2-core machine several
// test processes with 2 threads each slow each other down by orders of magnitude.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalModel, rationaleTokenBudget, type LocalGgufBackend } from '../../../main/features/models/runtime.js';
import { makeTempDir, TINY_SHAPE, writeTinyLora, writeTinyModel, type WrittenGguf } from '../../support/tiny-gguf.js';

let dir: string;
let withTemplate: WrittenGguf;
let withoutTemplate: WrittenGguf;
let chat: LocalGgufBackend;
let plain: LocalGgufBackend;

beforeAll(async () => {
  dir = makeTempDir();
  withTemplate = writeTinyModel(dir, { chatTemplate: true });
  withoutTemplate = writeTinyModel(dir, { chatTemplate: false });
  chat = await loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 1024, parallel: 4 });
  plain = await loadLocalModel({ modelPath: withoutTemplate.file, threads: 1, contextSize: 1024, parallel: 1 });
});

afterAll(async () => {
  await chat?.dispose();
  await plain?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('LocalGgufBackend on the tiny GGUF', () => {
  it('reports what it loaded', async () => {
    const info = await chat.info();
    expect(info).toMatchObject({ kind: 'local-gguf', contextSize: 1024, parallel: 4, embeddingSize: TINY_SHAPE.nEmbd, hasChatTemplate: true });
    expect((await plain.info()).hasChatTemplate).toBe(false);
  });

  it('tokenizes and detokenizes round-trip', async () => {
    for (const text of ['hello the world', 'user chose item 42: {"x": 1}', 'Ünïcödé ✓ bytes']) {
      const tokens = await chat.tokenize(text);
      expect(tokens.length).toBeGreaterThan(0);
      expect(await chat.countTokens(text)).toBe(tokens.length);
      expect((await chat.detokenize(tokens)).trim()).toBe(text);
    }
  });

  it('generates valid rationale JSON every time (20 samples at T=0.7)', async () => {
    const maxChars = 40;
    for (let i = 0; i < 20; i++) {
      const r = await chat.generateRationale({
        prompt: 'Why did the user choose this item?',
        system: 'Answer in JSON.',
        maxChars,
        settings: { temperature: 0.7, topP: 0.95, seed: i, maxTokens: rationaleTokenBudget(maxChars) },
      });
      const parsed = JSON.parse(r.text) as { rationale: unknown };
      expect(typeof parsed.rationale).toBe('string');
      expect([...r.rationale].length).toBeLessThanOrEqual(maxChars);
      expect(r.repaired).toBe(false);
      expect(r.mode).toBe('chat');
      expect(r.promptTokens).toBeGreaterThan(0);
      expect(r.completionTokens).toBeGreaterThan(0);
    }
  });

  it('closes a rationale cut by a too small token cap', async () => {
    const r = await chat.generateRationale({ prompt: 'Why?', maxChars: 200, settings: { temperature: 0.7, seed: 1, maxTokens: 12 } });
    expect(typeof r.rationale).toBe('string');
    expect(r.finishReason).toBe('maxTokens');
  });

  it('is deterministic for a fixed seed', async () => {
    const req = { prompt: 'the user chose', settings: { temperature: 0.8, seed: 7, maxTokens: 16 } };
    const a = await chat.generate(req);
    const b = await chat.generate(req);
    expect(a.text).toBe(b.text);
  });

  it('reuses a shared prompt prefix from the previous request', async () => {
    const system = 'You are an expert in consumer psychology and recommender systems. Infer the latent preferences.';
    await plain.generate({ prompt: 'history of user one', system, settings: { maxTokens: 4 } });
    const r = await plain.generate({ prompt: 'history of user two', system, settings: { maxTokens: 4 } });
    expect(r.cachedPromptTokens).toBeGreaterThan(10);
    expect(r.cachedPromptTokens).toBeLessThan(r.promptTokens);
    const fresh = await loadLocalModel({ modelPath: withoutTemplate.file, threads: 1, contextSize: 1024, reusePromptPrefix: false });
    try {
      await fresh.generate({ prompt: 'history of user one', system, settings: { maxTokens: 4 } });
      const f = await fresh.generate({ prompt: 'history of user two', system, settings: { maxTokens: 4 } });
      expect(f.cachedPromptTokens).toBe(0);
      expect(Math.abs(f.promptTokens - r.promptTokens)).toBeLessThanOrEqual(1);
      expect(f.text).toBe(r.text);
    } finally {
      await fresh.dispose();
    }
  });

  it('decodes several sequences in parallel in one context', async () => {
    const reqs = Array.from({ length: 6 }, (_, i) => ({ prompt: `item ${i}`, settings: { temperature: 0.7, seed: i, maxTokens: 16 } }));
    const out = await chat.generateMany(reqs);
    expect(out).toHaveLength(6);
    for (const r of out) {
      expect(r.completionTokens).toBeGreaterThan(0);
      expect(r.timings.totalMs).toBeGreaterThan(0);
    }
  });

  it('returns embeddings of the model dimension', async () => {
    const [a, b] = await chat.embed(['the user likes luxury beauty', 'video games']);
    expect(a).toHaveLength(TINY_SHAPE.nEmbd);
    expect(b).toHaveLength(TINY_SHAPE.nEmbd);
    expect(a!.every(Number.isFinite)).toBe(true);
  });

  it('scores candidate continuations with finite, deterministic log-probabilities', async () => {
    const cands = [' the item', ' a brand', ' luxury beauty product', ''];
    const s1 = await chat.scoreContinuations('the user chose', cands);
    const s2 = await chat.scoreContinuations('the user chose', cands);
    expect(s1.map((s) => s.candidate)).toEqual(cands);
    for (const s of s1.slice(0, 3)) {
      expect(Number.isFinite(s.logProb)).toBe(true);
      expect(s.logProb).toBeLessThan(0);
      expect(s.tokens).toBeGreaterThan(0);
    }
    expect(s1[3]).toMatchObject({ logProb: 0, tokens: 0 });
    for (let i = 0; i < s1.length; i++) expect(s2[i]!.logProb).toBeCloseTo(s1[i]!.logProb, 4);
  });

  it('works without a chat template (plain completion)', async () => {
    const r = await plain.generate({ prompt: 'the user chose', settings: { maxTokens: 8 } });
    expect(r.mode).toBe('completion');
    expect(r.completionTokens).toBeGreaterThan(0);
    const j = await plain.generateRationale({
      prompt: 'Why?',
      system: 'Reply in JSON.',
      maxChars: 20,
      settings: { temperature: 0.7, seed: 3, maxTokens: rationaleTokenBudget(20) },
    });
    expect(typeof (JSON.parse(j.text) as { rationale: string }).rationale).toBe('string');
    expect(j.mode).toBe('completion');
  });

  it('applies a LoRA adapter at context creation', async () => {
    const lora = writeTinyLora(`${dir}/tiny-lora.gguf`);
    const adapted = await loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 512, lora: [{ filePath: lora.file }] });
    try {
      const base = await chat.scoreContinuations('the user chose', [' the item']);
      const withLora = await adapted.scoreContinuations('the user chose', [' the item']);
      expect(Number.isFinite(withLora[0]!.logProb)).toBe(true);
      expect(withLora[0]!.logProb).not.toBeCloseTo(base[0]!.logProb, 3);
    } finally {
      await adapted.dispose();
    }
    await expect(
      loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 256, lora: [{ filePath: `${dir}/missing-lora.gguf` }] }),
    ).rejects.toThrow(/LoRA adapter|Could not create a context/);
  });

  it('stops on abort and reports it', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await chat.generate({ prompt: 'the user chose', settings: { maxTokens: 400, temperature: 0.7, seed: 1 }, signal: ac.signal });
    expect(r.finishReason).toBe('abort');
    expect(r.completionTokens).toBe(0);
    // The sequence is usable again afterwards.
    expect((await chat.generate({ prompt: 'the user chose', settings: { maxTokens: 4 } })).completionTokens).toBeGreaterThan(0);
  });

  it('unloads', async () => {
    const b = await loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 256 });
    await b.dispose();
    await expect(b.generate({ prompt: 'x' })).rejects.toThrow(/unloaded/);
  });

  it('says clearly when a file is not a model', async () => {
    const bad = `${dir}/broken.gguf`;
    fs.writeFileSync(bad, 'not a gguf');
    await expect(loadLocalModel({ modelPath: bad, threads: 1 })).rejects.toThrow(/Not a readable GGUF/);
    await expect(loadLocalModel({ modelPath: bad, threads: 1, memoryCheck: false })).rejects.toThrow(/Could not load the model/);
  });

  it('refuses a context that cannot fit in memory before loading', async () => {
    // 2048 tokens x 100k sequences of KV cache is far beyond any machine.
    await expect(loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 2048, parallel: 100_000 })).rejects.toMatchObject({
      code: 'model_too_large',
    });
  });

  it("gpu: 'auto' falls back to the CPU when there is no GPU", async () => {
    const b = await loadLocalModel({ modelPath: withTemplate.file, threads: 1, contextSize: 256, gpu: 'auto' });
    try {
      expect((await b.generate({ prompt: 'the', settings: { maxTokens: 2 } })).completionTokens).toBeGreaterThan(0);
      expect(['cuda', 'vulkan', 'metal', false]).toContain(b.llama.gpu);
    } finally {
      await b.dispose();
    }
  });
});
