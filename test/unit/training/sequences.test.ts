import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultChunk, fullRanking } from '../../../main/base/ranking.js';
import { PackedSequenceFile, writePackedSequences } from '../../../main/features/training/sasrec/sequences.js';
import { createTrainer } from '../../../main/features/training/sasrec/trainer.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir('pulse-seq-');
afterAll(() => t.cleanup());

const seqs = Array.from({ length: 120 }, (_, u) => Int32Array.from({ length: 1 + (u % 13) }, (_, i) => 1 + ((u * 17 + i * 5) % 60)));

function write(name: string): string {
  const file = path.join(t.dir, name);
  writePackedSequences(
    file,
    seqs.length,
    Int32Array.from(seqs, (s) => s.length),
    (u) => seqs[u]!,
    60,
  );
  return file;
}

describe('packed sequence files', () => {
  it('round-trips every sequence, and hides the last items when asked (the training part of a split)', () => {
    const f = new PackedSequenceFile(write('a.seq'));
    expect(f.length).toBe(seqs.length);
    expect(f.maxItem).toBe(60);
    expect(f.totalItems).toBe(seqs.reduce((a, s) => a + s.length, 0));
    seqs.forEach((s, u) => expect(Array.from(f.get(u))).toEqual(Array.from(s)));
    const train = new PackedSequenceFile(f.file, 2);
    seqs.forEach((s, u) => expect(Array.from(train.get(u))).toEqual(Array.from(s.subarray(0, Math.max(0, s.length - 2)))));
    expect(() => f.get(seqs.length)).toThrow(RangeError);
    f.close();
    train.close();
  });

  it('refuses a file that is not one, or is cut short', () => {
    const file = write('b.seq');
    fs.truncateSync(file, fs.statSync(file).size - 4);
    expect(() => new PackedSequenceFile(file)).toThrow(/truncated or damaged/);
    const other = path.join(t.dir, 'c.seq');
    fs.writeFileSync(other, 'user item item\n'.repeat(10));
    expect(() => new PackedSequenceFile(other)).toThrow(/not a packed sequence file/);
  });

  it('a trainer reading the file a batch at a time trains exactly as one given the arrays, and their checkpoints agree', () => {
    const config = { hidden: 16, heads: 2, inner: 32, blocks: 1, maxLen: 8, batch: 16, seed: 3 };
    const a = createTrainer({ sequences: seqs, nItems: 60, config });
    const src = new PackedSequenceFile(write('d.seq'));
    const b = createTrainer({ sequences: src, nItems: 60, config });
    expect(b.trainEpoch().loss).toBe(a.trainEpoch().loss);
    expect(b.model.params.map((p) => Array.from(p.value))).toEqual(a.model.params.map((p) => Array.from(p.value)));
    const ck = path.join(t.dir, 'd.ckpt');
    a.saveCheckpoint(ck);
    expect(() => createTrainer({ sequences: src, nItems: 60, config }).loadCheckpoint(ck)).not.toThrow();
    src.close();
  });
});

describe('full ranking memory', () => {
  it('scores at most 32 MB at once by default, whatever the number of items', () => {
    expect(defaultChunk(12_101)).toBe(512);
    expect(defaultChunk(100_000) * 100_001).toBeLessThanOrEqual(1 << 23);
    let biggest = 0;
    const nItems = 200_000;
    const histories = Array.from({ length: 150 }, (_, u) => Int32Array.of(1 + u));
    fullRanking({
      scorer: (h) => {
        biggest = Math.max(biggest, h.length * (nItems + 1));
        const s = new Float32Array(h.length * (nItems + 1));
        h.forEach((x, b) => (s[b * (nItems + 1) + x[0]!] = 1));
        return s;
      },
      histories,
      targets: Int32Array.from(histories, (h) => h[0]!),
      nItems,
    });
    expect(biggest).toBeLessThanOrEqual(1 << 23);
  });
});
