import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadSpecFor, readCatalog } from '../../../main/features/models/catalog.js';
import { makeTempDir } from '../../support/tiny-gguf.js';

describe('models/catalog.json', () => {
  it('is valid and lists the recommended SLMs', () => {
    const c = readCatalog();
    const names = c.models.map((m) => m.name);
    for (const n of [
      'Qwen2.5 0.5B Instruct',
      'Qwen2.5 1.5B Instruct',
      'Llama 3.2 1B Instruct',
      'Llama 3.2 3B Instruct',
      'SmolLM2 360M Instruct',
      'SmolLM2 1.7B Instruct',
      'Phi-4-mini-instruct',
    ]) {
      expect(names).toContain(n);
    }
    expect(c.models.filter((m) => m.paperModel)).toHaveLength(1);
    for (const m of c.models) {
      const spec = downloadSpecFor(m);
      expect(spec.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/main\/.+\.gguf$/);
      expect(spec.url.endsWith(m.fileName)).toBe(true);
      expect(spec.expectedBytes).toBeUndefined(); // sizes are approximate
    }
  });

  it('names the bad entry and field', () => {
    const dir = makeTempDir('pulse-cat-');
    const file = path.join(dir, 'catalog.json');
    const c = JSON.parse(fs.readFileSync(path.resolve('models/catalog.json'), 'utf8'));
    c.models[1].sizeBytes = -1;
    fs.writeFileSync(file, JSON.stringify(c));
    expect(() => readCatalog(file)).toThrow(/models\.1\.sizeBytes/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
