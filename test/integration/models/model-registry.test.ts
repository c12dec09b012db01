import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../../main/platform/storage/database.js';
import { ModelRegistry, quickHash } from '../../../main/features/models/model-registry.js';
import { makeTempDir, writeTinyGguf } from '../../support/tiny-gguf.js';

let dir: string;
let db: Db;
let reg: ModelRegistry;
beforeEach(() => {
  dir = makeTempDir('pulse-reg-');
  db = openDatabase(path.join(dir, 'ws.sqlite'));
  reg = new ModelRegistry(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ModelRegistry', () => {
  it('is backed by migration 3', () => {
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'models'").get()).toBeTruthy();
  });

  it('adds a folder with nested files and a split model, once each', async () => {
    const models = path.join(dir, 'models');
    const a = writeTinyGguf(path.join(models, 'a.gguf'), { name: 'Model A' });
    const b = writeTinyGguf(path.join(models, 'nested', 'deeper', 'b.gguf'), { chatTemplate: false, seed: 2 });
    const s = writeTinyGguf(path.join(models, 'nested', 'split.gguf'), { splitParts: 3, seed: 3 });
    fs.writeFileSync(path.join(models, 'nested', 'notes.txt'), 'not a model');
    fs.writeFileSync(path.join(models, 'broken.gguf'), 'nope');
    fs.writeFileSync(path.join(models, 'c.gguf.part'), 'partial download');

    const r = await reg.addFolder(models);
    expect(r.added.map((m) => m.path).sort()).toEqual([a.file, b.file, s.file].sort());
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.file).toMatch(/broken\.gguf$/);
    expect(r.skipped[0]!.reason).toMatch(/Not a readable GGUF/);

    const split = reg.findByPath(s.parts[2]!)!;
    expect(split.path).toBe(s.file);
    expect(split.metadata.parts).toEqual(s.parts);
    expect(split.metadata.parameters).toBe(s.parameters);
    expect(reg.get(split.id)!.hash).toMatch(/^quick:[0-9a-f]{64}$/);
    expect(reg.findByPath(a.file)!.name).toBe('Model A');
    expect(reg.findByPath(b.file)!.metadata.hasChatTemplate).toBe(false);

    // Scanning again updates, never duplicates.
    await reg.addFolder(models);
    expect(reg.list()).toHaveLength(3);
  });

  it('adds, looks up, and removes a single file', async () => {
    const w = writeTinyGguf(path.join(dir, 'one.gguf'));
    const m = await reg.addFile(w.file, { sha256: 'AB'.repeat(32) });
    expect(m.hash).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(m.metadata.architecture).toBe('llama');
    expect(reg.findByHash(m.hash)).toHaveLength(1);
    expect(reg.remove(m.id)).toBe(true);
    expect(reg.get(m.id)).toBeNull();
    expect(fs.existsSync(w.file)).toBe(true);
    await expect(reg.addFile(path.join(dir, 'missing.gguf'))).rejects.toThrow(/No such model file/);
  });

  it('quick hash changes when a file changes, and stale() reports it', async () => {
    const w = writeTinyGguf(path.join(dir, 'q.gguf'));
    const m = await reg.addFile(w.file);
    expect(quickHash([w.file])).toBe(m.hash);
    writeTinyGguf(w.file, { seed: 99 });
    expect(reg.stale()).toEqual([{ model: expect.objectContaining({ id: m.id }), reason: 'changed' }]);
    fs.rmSync(w.file);
    expect(reg.stale()[0]!.reason).toBe('missing');
  });
});

describe('downloadFromCatalog', () => {
  it('downloads a catalog entry and registers it with its sha256', async () => {
    const { downloadFromCatalog } = await import('../../../main/features/models/catalog.js');
    const { startRangeServer } = await import('../../support/range-server.js');
    const w = writeTinyGguf(path.join(dir, 'src', 'tiny.gguf'), { name: 'Served tiny' });
    const body = fs.readFileSync(w.file);
    const server = await startRangeServer({ '/tiny.gguf': { body } });
    try {
      const entry = {
        id: 'tiny',
        name: 'Tiny from catalog',
        family: 'test',
        hf: `${server.url}/tiny.gguf`,
        fileName: 'tiny.gguf',
        quantization: 'F32',
        sizeBytes: body.length,
        sizeApproximate: false,
        sha256: null,
        parameters: w.parameters,
        contextLength: 2048,
        license: 'MIT',
        chatTemplate: true,
        notes: '',
      };
      const target = path.join(dir, 'downloaded');
      const r = await downloadFromCatalog(entry, { targetDir: target, registry: reg });
      expect(r.download.bytes).toBe(body.length);
      expect(r.model!.name).toBe('Tiny from catalog');
      expect(r.model!.hash).toBe(`sha256:${r.download.sha256}`);
      expect(reg.findByPath(path.join(target, 'tiny.gguf'))!.metadata.parameters).toBe(w.parameters);
    } finally {
      await server.close();
    }
  });
});
