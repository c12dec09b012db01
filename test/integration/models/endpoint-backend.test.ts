import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EndpointBackend } from '../../../main/features/models/endpoint-backend.js';
import { createSecretStore, ENDPOINT_API_KEY, MemorySecretStore, SafeStorageSecretStore } from '../../../main/features/models/secret-store.js';
import { fakeTokens, startFakeOpenAiServer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { makeTempDir } from '../../support/tiny-gguf.js';

let server: FakeOpenAiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function backend(opts: Parameters<typeof startFakeOpenAiServer>[0] = {}, extra: Partial<ConstructorParameters<typeof EndpointBackend>[0]> = {}) {
  server = await startFakeOpenAiServer(opts);
  const secrets = new MemorySecretStore({});
  if (opts.apiKey) await secrets.set(ENDPOINT_API_KEY, opts.apiKey);
  return new EndpointBackend({ baseUrl: `${server.url}/v1`, model: 'fake-slm', secrets, ...extra });
}

describe('EndpointBackend against a local OpenAI-compatible server', () => {
  it('lists models and sends the API key from the secret store', async () => {
    const b = await backend({ apiKey: 'sk-test-123' });
    expect(await b.listModels()).toEqual([{ id: 'fake-slm', ownedBy: 'fake' }]);
    expect(server!.requests[0]!.headers.authorization).toBe('Bearer sk-test-123');
  });

  it('explains a missing or wrong key', async () => {
    server = await startFakeOpenAiServer({ apiKey: 'right' });
    const b = new EndpointBackend({ baseUrl: server.url, model: 'fake-slm', secrets: new MemorySecretStore({}) });
    await expect(b.listModels()).rejects.toMatchObject({ code: 'endpoint_http_401', hint: expect.stringMatching(/API key/) });
  });

  it('generates chat and completion text with usage and finish reasons', async () => {
    const b = await backend();
    const chat = await b.generate({ prompt: 'Why?', system: 'Be brief.', settings: { maxTokens: 64, temperature: 0.7, topP: 0.9, seed: 3 } });
    expect(chat.mode).toBe('chat');
    expect(chat.text.length).toBeGreaterThan(0);
    expect(chat.promptTokens).toBeGreaterThan(0);
    expect(chat.finishReason).toBe('stop');
    const sent = server!.requests.at(-1)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'fake-slm', max_tokens: 64, temperature: 0.7, top_p: 0.9, seed: 3 });
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Why?' },
    ]);
    const cut = await b.generate({ prompt: 'the user', mode: 'completion', settings: { maxTokens: 5 } });
    expect(cut.mode).toBe('completion');
    expect(cut.finishReason).toBe('maxTokens');
    expect(cut.completionTokens).toBe(5);
    expect(server!.requests.at(-1)!.path).toBe('/v1/completions');
  });

  it('asks for JSON with response_format json_schema and parses the rationale', async () => {
    const b = await backend();
    const r = await b.generateRationale({ prompt: 'Explain the choice.', maxChars: 30, settings: { seed: 1 } });
    expect(r.rationale.length).toBeGreaterThan(0);
    expect(r.rationale.length).toBeLessThanOrEqual(30);
    expect(r.repaired).toBe(false);
    const rf = (server!.requests.at(-1)!.body as { response_format: { type: string; json_schema: { schema: unknown } } }).response_format;
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema.schema).toMatchObject({ properties: { rationale: { type: 'string', maxLength: 30 } } });
  });

  it('can leave response_format out for servers without structured output', async () => {
    const b = await backend({ rejectResponseFormat: true }, { structuredOutput: 'none' });
    const r = await b.generate({ prompt: 'x', jsonSchema: { type: 'object' } });
    expect(r.text.length).toBeGreaterThan(0);
    expect((server!.requests.at(-1)!.body as Record<string, unknown>).response_format).toBeUndefined();
  });

  it('runs several requests concurrently, keeping order', async () => {
    const b = await backend({ delayMs: 50 }, { parallel: 3 });
    const out = await b.generateMany(Array.from({ length: 6 }, (_, i) => ({ prompt: `p${i}`, settings: { seed: i, maxTokens: 8 } })));
    expect(out).toHaveLength(6);
    expect(server!.maxConcurrent).toBe(3);
    const prompts = server!.requests.map((q) => (q.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content);
    expect(new Set(prompts).size).toBe(6);
  });

  it('embeds in input order', async () => {
    const b = await backend({ embeddingDim: 8 });
    const [a, c, a2] = await b.embed(['alpha', 'beta', 'alpha']);
    expect(a).toHaveLength(8);
    expect(a).toEqual(a2);
    expect(a).not.toEqual(c);
    expect((await b.info()).embeddingSize).toBe(8);
  });

  it('scores continuations from echoed prompt log-probabilities', async () => {
    const b = await backend();
    const s = await b.scoreContinuations('The user chose', [' a lipstick', ' a game console', '']);
    expect(s[0]!.tokens).toBe(fakeTokens(' a lipstick').length);
    expect(s[1]!.tokens).toBe(fakeTokens(' a game console').length);
    for (const x of s.slice(0, 2)) {
      expect(Number.isFinite(x.logProb)).toBe(true);
      expect(x.logProb).toBeLessThan(0);
    }
    expect(s[2]).toMatchObject({ logProb: 0, tokens: 0 });
    expect((await b.scoreContinuations('The user chose', [' a lipstick']))[0]!.logProb).toBe(s[0]!.logProb);
  });

  it('tokenizes through llama.cpp /tokenize, else estimates counts', async () => {
    const b = await backend();
    expect(await b.countTokens('a b c')).toBe(5);
    await server!.close();
    const b2 = await backend({ tokenize: false });
    await expect(b2.tokenize('abcd efgh')).rejects.toMatchObject({ code: 'endpoint_unsupported' });
    expect(await b2.countTokens('abcd efgh')).toBe(3);
  });

  it('reports an unreachable server clearly', async () => {
    const b = new EndpointBackend({ baseUrl: 'http://127.0.0.1:9', model: 'x', timeoutMs: 2000 });
    await expect(b.listModels()).rejects.toMatchObject({ code: 'endpoint_unreachable' });
    expect(() => new EndpointBackend({ baseUrl: 'not a url', model: 'x' })).toThrow(/Not a valid endpoint URL/);
  });
});

describe('secret stores', () => {
  it('memory store falls back to PULSE_ENDPOINT_API_KEY', async () => {
    const s = new MemorySecretStore({ PULSE_ENDPOINT_API_KEY: 'from-env' });
    expect(await s.get(ENDPOINT_API_KEY)).toBe('from-env');
    await s.set(ENDPOINT_API_KEY, 'set-now');
    expect(await s.get(ENDPOINT_API_KEY)).toBe('set-now');
    await s.delete(ENDPOINT_API_KEY);
    expect(await s.has(ENDPOINT_API_KEY)).toBe(true);
    expect(await new MemorySecretStore({}).has(ENDPOINT_API_KEY)).toBe(false);
    expect(createSecretStore({ env: {} }).kind).toBe('memory'); // plain Node
  });

  it('safeStorage store keeps only ciphertext on disk', async () => {
    const dir = makeTempDir('pulse-secrets-');
    const file = path.join(dir, 'secrets.json');
    // Stand-in for Electron's safeStorage: a reversible transform that never leaves the plain text.
    const bridge = {
      encrypt: (p: string) => Buffer.from(p.split('').reverse().join(''), 'utf8').toString('base64'),
      decrypt: (c: string) => Buffer.from(c, 'base64').toString('utf8').split('').reverse().join(''),
    };
    const s = new SafeStorageSecretStore(bridge, file, {});
    await s.set(ENDPOINT_API_KEY, 'sk-very-secret');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-very-secret');
    expect(await new SafeStorageSecretStore(bridge, file, {}).get(ENDPOINT_API_KEY)).toBe('sk-very-secret');
    await s.delete(ENDPOINT_API_KEY);
    expect(await s.get(ENDPOINT_API_KEY)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
