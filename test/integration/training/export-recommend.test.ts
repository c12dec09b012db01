/**
 * Trained models leave the workbench: a SASRec trained briefly on a subset of real Beauty histories, exported
 * as ONNX and run by onnxruntime-node, scores every item as the engine does (within 1e-4); through the CLI,
 * `pulse export` and `pulse recommend` (engine and ONNX paths, the same top-k with titles), and clear errors
 * for an unknown run, an unknown user, a run still training and a run with no model.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyTensorData, writeSasrecOnnx } from '../../../main/features/training/onnx-export.js';
import { PRESETS } from '../../../main/features/training/sasrec/config.js';
import { leaveOneOut, parseS3Rec } from '../../../main/features/training/sasrec/split.js';
import { createTrainer } from '../../../main/features/training/sasrec/trainer.js';
import { PULSE_BIN, pulse } from '../../support/cli.js';
import { dataSet, missingReason } from '../../support/data.js';
import { tempDir } from '../../support/temp.js';

const BEAUTY = dataSet('amazon_beauty_s3rec');
const t = tempDir('pulse-export-');
const W = ['--workspace', t.dir];
const SMALL = ['--hidden', '32', '--inner', '64', '--batch', '128', '--seed', '4'];

type Rec = { run: number; user: string; via: string; history: number; items: { rank: number; item: string; title: string; score: number }[] };

function ok<T>(args: string[]): T {
  const r = pulse([...args, ...W, '--json']);
  if (r.code !== 0) throw new Error(`pulse ${args.join(' ')} failed (${r.code}): ${r.stdout}\n${r.stderr}`);
  return r.json as T;
}

function fails(args: string[]): { message: string; hint: string; code: string } {
  const r = pulse([...args, ...W, '--json']);
  expect(r.code, r.stdout).not.toBe(0);
  return (r.json as { error: { message: string; hint: string; code: string } }).error;
}

describe.skipIf(!BEAUTY)(`ONNX export and recommendations on Beauty${BEAUTY ? '' : ` (skipped: ${missingReason('amazon_beauty_s3rec')})`}`, () => {
  const subset = path.join(t.dir, 'beauty-subset.txt');
  beforeAll(() => {
    // The first 2,500 users of the real file (their item ids stay those of the item text file).
    const lines = fs.readFileSync(path.join(BEAUTY!, 'Beauty.txt'), 'utf8').split('\n').slice(0, 2500);
    fs.writeFileSync(subset, lines.join('\n') + '\n');
    ok(['import', subset, path.join(BEAUTY!, 'item_text_derived.tsv'), '--name', 'beauty']);
    ok(['train', '--dataset', 'beauty', '--epochs', '1', ...SMALL]);
  }, 600_000);
  afterAll(() => t.cleanup());

  // PULSE's item side (a fixed vector per item fused into the item table) exports as the fused table.
  it.each(['SASRec', 'PULSE item side'])(
    'the exported %s scorer equals the engine within 1e-4 on every item, for real histories (batch and single)',
    async (kind) => {
      const { sequences, nItems } = parseS3Rec(fs.readFileSync(subset, 'utf8'));
      const split = leaveOneOut(sequences);
      const dim = 12;
      const itemVectors =
        kind === 'SASRec' ? undefined : { dim, vectors: Float32Array.from({ length: (nItems + 1) * dim }, (_, i) => (i < dim ? 0 : Math.sin(i * 0.7))) };
      const trainer = createTrainer({ sequences: split.train, nItems, config: { ...PRESETS.reference, batch: 128, seed: 11 }, itemVectors });
      for (let e = 0; e < 2; e++) trainer.trainEpoch();
      const file = path.join(t.dir, `direct-${kind.replace(/ /g, '-')}.onnx`);
      writeSasrecOnnx(trainer.model, file);
      const session = await ort.InferenceSession.create(file);
      const L = trainer.config.maxLen;
      // Test-time histories of real users, one longer than maxLen (made of real items), one item long.
      const histories = split.testHistory.slice(0, 300);
      histories.push(Int32Array.from(split.train.flatMap((s) => Array.from(s)).slice(0, L + 17)), Int32Array.of(histories[0]![0]!));
      const want = trainer.scoreUsers(histories);
      const run = async (hs: Int32Array[]): Promise<Float32Array> =>
        (await session.run({ history: new ort.Tensor('int64', historyTensorData(hs, L), [hs.length, L]) })).scores!.data as Float32Array;
      const got = await run(histories);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        if (i % (nItems + 1) === 0) expect(got[i]).toBe(-Infinity);
        else worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      }
      expect(worst).toBeLessThan(1e-4);
      // [1, maxLen] input: the same scores as in the batch.
      const single = await run([histories[5]!]);
      for (let i = 1; i <= nItems; i++) expect(Math.abs(single[i]! - want[5 * (nItems + 1) + i]!)).toBeLessThan(1e-4);
      await session.release();
    },
    600_000,
  );

  it('`pulse export` writes an ONNX model that onnxruntime loads, with the documented input and output', async () => {
    const out = path.join(t.dir, 'out', 'run1.onnx');
    const r = ok<{ file: string; bytes: number; nItems: number; maxLen: number }>(['export', '--run', '1', '--format', 'onnx', '--out', out]);
    expect(r.file).toBe(out);
    expect(fs.statSync(out).size).toBe(r.bytes);
    const s = await ort.InferenceSession.create(out);
    expect(s.inputNames).toEqual(['history']);
    expect(s.outputNames).toEqual(['scores']);
    const res = await s.run({ history: new ort.Tensor('int64', new BigInt64Array(2 * r.maxLen).fill(1n), [2, r.maxLen]) });
    expect(res.scores!.dims).toEqual([2, r.nItems + 1]);
    await s.release();
  });

  it('`pulse recommend`: the top-k with titles, the same from the engine and from the ONNX export, history excluded', () => {
    const engine = ok<Rec>(['recommend', '--run', '1', '--user', '7', '--k', '8']);
    const onnx = ok<Rec>(['recommend', '--run', '1', '--user', '7', '--k', '8', '--via', 'onnx']);
    expect(engine.via).toBe('engine');
    expect(onnx.via).toBe('onnx');
    expect(engine.items).toHaveLength(8);
    expect(onnx.items.map((x) => x.item)).toEqual(engine.items.map((x) => x.item));
    onnx.items.forEach((x, i) => expect(Math.abs(x.score - engine.items[i]!.score)).toBeLessThan(1e-4));
    expect(engine.items.every((x, i) => i === 0 || x.score <= engine.items[i - 1]!.score)).toBe(true);
    expect(engine.items.filter((x) => x.title.length > 0).length).toBeGreaterThan(4);
    // User 7's own items are never recommended.
    const line = fs
      .readFileSync(subset, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('7 '))!;
    const own = new Set(line.split(' ').slice(1));
    expect(engine.history).toBe(own.size > 0 ? line.split(' ').length - 1 : 0);
    for (const x of engine.items) expect(own.has(x.item)).toBe(false);
    const text = pulse(['recommend', '--run', '1', '--user', '7', '--k', '3', ...W]).stdout;
    expect(text).toContain(`1. ${engine.items[0]!.item}`);
    expect(text).toContain(engine.items[0]!.title);
  });

  it('bad input: unknown run, unknown user, bad format, missing options, a folder as --out', () => {
    const noRun = fails(['recommend', '--run', '99', '--user', '7']);
    expect(noRun.message).toMatch(/no run 99/);
    expect(noRun.hint).toMatch(/pulse runs/);
    expect(fails(['export', '--run', '99', '--format', 'onnx', '--out', path.join(t.dir, 'x.onnx')]).message).toMatch(/no run 99/);
    const noUser = fails(['recommend', '--run', '1', '--user', 'A2NOBODY']);
    expect(noUser.message).toBe('Dataset "beauty" has no user "A2NOBODY".');
    expect(noUser.hint).toMatch(/"1", "2", "3"/);
    expect(fails(['export', '--run', '1', '--format', 'pt', '--out', path.join(t.dir, 'x.pt')]).hint).toMatch(/--format onnx/);
    expect(fails(['recommend', '--run', '1']).message).toMatch(/--user is required/);
    expect(fails(['recommend', '--run', '1', '--user', '7', '--via', 'torch']).hint).toMatch(/engine\|onnx/);
    const folder = fails(['export', '--run', '1', '--format', 'onnx', '--out', t.dir]);
    expect(folder.message).toMatch(/is a folder/);
    expect(fs.existsSync(path.join(t.dir, 'x.onnx'))).toBe(false);
  });

  it('a run still training is refused with what to do; once stopped without a checkpoint, so is its missing model', async () => {
    const child = spawn(process.execPath, [PULSE_BIN, 'train', '--dataset', 'beauty', '--epochs', '50', ...SMALL, ...W, '--json'], { stdio: 'ignore' });
    try {
      let err: { message: string; hint: string; code: string } | null = null;
      const t0 = Date.now();
      while (!err) {
        if (Date.now() - t0 > 120_000) throw new Error('run 2 never started');
        const r = pulse(['recommend', '--run', '2', '--user', '7', ...W, '--json']);
        const e = (r.json as { error?: { message: string; hint: string; code: string } }).error;
        if (e && /still training/.test(e.message)) err = e;
        else await new Promise((res) => setTimeout(res, 300));
      }
      expect(err.message).toMatch(/Run 2 is still training \(job \d+\)/);
      expect(err.hint).toMatch(/pulse jobs/);
      expect(fails(['export', '--run', '2', '--format', 'onnx', '--out', path.join(t.dir, 'r2.onnx')]).message).toMatch(/still training/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((res) => child.once('close', res));
    }
    // Killed before its first validation: no best checkpoint, so no model to use.
    const best = path.join(t.dir, 'artifacts', 'runs', '2', 'best.ckpt');
    if (!fs.existsSync(best)) {
      const e = fails(['recommend', '--run', '2', '--user', '7']);
      expect(e.message).toMatch(/Run 2 has no trained model yet/);
      expect(e.hint).toMatch(/pulse jobs resume \d+/);
    }
  }, 300_000);
});
