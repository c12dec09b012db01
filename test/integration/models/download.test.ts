import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadModel, partPaths, pendingDownload, resolveModelSource, type DownloadProgress } from '../../../main/features/models/download.js';
import { startRangeServer, type RangeServer } from '../../support/range-server.js';
import { makeTempDir } from '../../support/tiny-gguf.js';

const BODY = crypto.randomBytes(3 * 1024 * 1024 + 123);
const SHA = crypto.createHash('sha256').update(BODY).digest('hex');

let dir: string;
let server: RangeServer | null = null;
beforeEach(() => {
  dir = makeTempDir('pulse-dl-');
});
afterEach(async () => {
  await server?.close();
  server = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('resolveModelSource', () => {
  it('maps hf: references to resolve URLs', () => {
    expect(resolveModelSource('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      fileName: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    });
    expect(resolveModelSource('hf:o/r@v2/sub/m.gguf').url).toBe('https://huggingface.co/o/r/resolve/v2/sub/m.gguf');
    expect(() => resolveModelSource('hf:just-a-name')).toThrow(/Not a Hugging Face model reference/);
    expect(() => resolveModelSource('ftp://x/y.gguf')).toThrow(/Unsupported protocol/);
  });
});

describe('downloadModel against a local Range server', () => {
  it('downloads with progress, verifies size and sha256', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } });
    const events: DownloadProgress[] = [];
    const r = await downloadModel({
      source: `${server.url}/redirect/m.gguf`,
      targetDir: dir,
      sha256: SHA,
      expectedBytes: BODY.length,
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
    });
    expect(r).toMatchObject({ bytes: BODY.length, sha256: SHA, resumed: false, alreadyPresent: false });
    expect(fs.readFileSync(r.file).equals(BODY)).toBe(true);
    expect(events.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ bytes: BODY.length, total: BODY.length });
    expect(events.every((e, i) => i === 0 || e.bytes >= events[i - 1]!.bytes)).toBe(true);
    expect(fs.existsSync(partPaths(r.file).part)).toBe(false);
    expect(fs.existsSync(partPaths(r.file).sidecar)).toBe(false);
    // A second call finds the finished file and fetches nothing.
    const n = server.requests.length;
    const again = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: SHA });
    expect(again.alreadyPresent).toBe(true);
    expect(server.requests.length).toBe(n);
  });

  it('cancels mid-way, keeps the part, and resumes with Range after a "restart"', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { chunkBytes: 64 * 1024, delayMs: 5 });
    const ac = new AbortController();
    const file = path.join(dir, 'm.gguf');
    await expect(
      downloadModel({
        source: `${server.url}/m.gguf`,
        targetDir: dir,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.bytes > 1024 * 1024) ac.abort();
        },
        progressIntervalMs: 0,
      }),
    ).rejects.toMatchObject({ code: 'download_cancelled' });
    const pending = pendingDownload(file);
    expect(pending).not.toBeNull();
    expect(pending!.bytes).toBeGreaterThan(1024 * 1024);
    expect(pending!.bytes).toBeLessThan(BODY.length);
    expect(pending!.total).toBe(BODY.length);

    // A new call reads only what is on disk (as after a process restart).
    server.options.delayMs = 0;
    const events: DownloadProgress[] = [];
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: SHA, onProgress: (p) => events.push(p) });
    expect(r.resumed).toBe(true);
    expect(r.sha256).toBe(SHA);
    expect(fs.readFileSync(file).equals(BODY)).toBe(true);
    const last = server.requests.at(-1)!;
    expect(last.range).toBe(`bytes=${pending!.bytes}-`);
    expect(last.ifRange).toBe(`"${BODY.length}-v1"`);
    expect(last.status).toBe(206);
    expect(events[0]!.resumedFrom).toBe(pending!.bytes);
  });

  it('resumes by itself after dropped connections', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { dropAfterBytes: 1024 * 1024 });
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: SHA, retries: 5, retryDelayMs: 10 });
    expect(r.resumed).toBe(true);
    expect(fs.readFileSync(r.file).equals(BODY)).toBe(true);
    expect(server.requests.filter((q) => q.status === 206).length).toBeGreaterThanOrEqual(3);
  });

  it('gives up with a clear error when retries are exhausted, then resumes later', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { dropAfterBytes: 1024 * 1024 });
    await expect(downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, retries: 0 })).rejects.toMatchObject({ code: 'download_network' });
    server.options.dropAfterBytes = undefined;
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: SHA });
    expect(r.resumed).toBe(true);
  });

  it('starts over when the server ignores Range', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { dropAfterBytes: 1024 * 1024, ignoreRange: true });
    await expect(downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, retries: 0 })).rejects.toThrow();
    server.options.dropAfterBytes = undefined;
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: SHA });
    expect(r.resumed).toBe(false);
    expect(fs.readFileSync(r.file).equals(BODY)).toBe(true);
  });

  it('rejects a wrong checksum and removes the corrupt part', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } });
    await expect(downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, sha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'download_checksum',
    });
    expect(fs.existsSync(path.join(dir, 'm.gguf'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'm.gguf.part'))).toBe(false);
  });

  it('rejects a size that differs from the expected one', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } });
    await expect(downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, expectedBytes: 10 })).rejects.toMatchObject({
      code: 'download_size_mismatch',
    });
  });

  it('explains HTTP errors', async () => {
    server = await startRangeServer({});
    await expect(downloadModel({ source: `${server.url}/nope.gguf`, targetDir: dir })).rejects.toMatchObject({
      code: 'download_http',
      hint: expect.stringMatching(/repository and file name/),
    });
  });

  it('restarts when the file on the server changed (If-Range mismatch)', async () => {
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { dropAfterBytes: 1024 * 1024 });
    await expect(downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir, retries: 0 })).rejects.toThrow();
    const v2 = crypto.randomBytes(BODY.length);
    server.files.set('/m.gguf', { body: v2, etag: '"v2"' });
    server.options.dropAfterBytes = undefined;
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: dir });
    expect(fs.readFileSync(r.file).equals(v2)).toBe(true);
    expect(r.resumed).toBe(false);
  });
});

describe('downloadModel after the process was killed', () => {
  it('resumes a .part left by a SIGKILLed process', async () => {
    const { build } = await import('esbuild');
    const { spawn } = await import('node:child_process');
    server = await startRangeServer({ '/m.gguf': { body: BODY } }, { chunkBytes: 32 * 1024, delayMs: 10 });
    const bundle = path.join(dir, 'download.mjs');
    await build({
      entryPoints: [path.resolve('main/features/models/download.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const runner = path.join(dir, 'runner.mjs');
    fs.writeFileSync(
      runner,
      `import { downloadModel } from ${JSON.stringify(bundle)};\nawait downloadModel({ source: process.argv[2], targetDir: process.argv[3] });\n`,
    );
    const target = path.join(dir, 'models');
    const file = path.join(target, 'm.gguf');
    const child = spawn(process.execPath, [runner, `${server.url}/m.gguf`, target], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while ((pendingDownload(file)?.bytes ?? 0) < 512 * 1024) {
      if (Date.now() > deadline) throw new Error('the child download made no progress');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const left = pendingDownload(file)!;
    expect(left.bytes).toBeGreaterThan(0);
    expect(left.bytes).toBeLessThan(BODY.length);

    server.options.delayMs = 0;
    const r = await downloadModel({ source: `${server.url}/m.gguf`, targetDir: target, sha256: SHA });
    expect(r.resumed).toBe(true);
    expect(server.requests.at(-1)!.range).toMatch(/^bytes=\d+-$/);
    expect(fs.readFileSync(file).equals(BODY)).toBe(true);
  });
});
