import { describe, expect, it } from 'vitest';
import { jsKernels, loadKernels } from '../../../main/base/engine/kernels.js';
import { CeWorkspace, crossEntropyAllItems, bceSampled } from '../../../main/base/engine/losses.js';
import { Rng } from '../../../main/base/rng.js';
import type { Ctx } from '../../../main/base/engine/tensor.js';
import { AuxAlignment } from '../../../main/features/training/sasrec/aux.js';
import { resolveConfig } from '../../../main/features/training/sasrec/config.js';
import { packSequences, SasrecModel } from '../../../main/features/training/sasrec/model.js';
import { checkGrad, randomVec, sampleIdx } from '../base/engine/gradcheck.js';

const ctx: Ctx = { kernels: jsKernels, dtype: 'f64' };
const cfg = resolveConfig('reference', { hidden: 8, heads: 2, inner: 12, blocks: 2, maxLen: 5, dropout: 0.2, attnDropout: 0.3 });
const nItems = 11;
const seqs = [Int32Array.from([1, 2, 3]), Int32Array.from([4]), Int32Array.from([5, 6, 7, 8, 9, 10, 11]), Int32Array.from([2, 2])];
const tgts = [Int32Array.from([2, 3, 4]), Int32Array.from([5]), Int32Array.from([6, 7, 8, 9, 10, 11, 1]), Int32Array.from([2, 3])];

function makeModel(): SasrecModel {
  const m = new SasrecModel(ctx, cfg, nItems);
  m.init(new Rng(5));
  // Perturb LN and biases away from (1, 0) so their gradients are generic.
  for (const p of m.params)
    if (p.name.endsWith('.g') || p.name.endsWith('.b') || p.name.endsWith('B'))
      p.value.set(randomVec(p.size, p.name.length * 7 + 1, 0.3).map((v) => v + (p.name.endsWith('.g') ? 1 : 0)));
  for (const p of m.params) if (p.name !== 'itemEmb' && p.name !== 'posEmb') for (let i = 0; i < p.size; i++) p.value[i] *= p.name.includes('W') ? 10 : 1;
  return m;
}

describe('whole-model gradients (float64, dropout on, fixed masks)', () => {
  const batch = packSequences(seqs, cfg.maxLen);
  const targets = packSequences(tgts, cfg.maxLen).items;
  const T = targets.length;

  for (const loss of ['ce', 'bce'] as const) {
    it(`SASRec + ${loss}: every parameter`, () => {
      const m = makeModel();
      const ws = new CeWorkspace();
      const neg = Int32Array.from({ length: T }, (_, i) => 1 + ((i * 5) % nItems));
      const run = (backward: boolean): number => {
        const { h, cache } = m.forward(batch, new Rng(99));
        const out = loss === 'ce' ? crossEntropyAllItems(ctx, h, T, m.itemEmb, targets, 1 / T, ws) : bceSampled(ctx, h, T, m.itemEmb, targets, neg, 1 / T);
        if (backward) m.backward(cache, out.dh);
        return out.loss / T;
      };
      for (const p of m.params) p.grad.fill(0);
      run(true);
      const grads = m.params.map((p) => Float64Array.from(p.grad));
      const f = (): number => {
        const l = run(false);
        return l;
      };
      // eps 1e-4 keeps round-off small for weights whose gradients are tiny; the embeddings feed a
      // layer norm of small-variance inputs (std 0.02), which needs a smaller step.
      for (let k = 0; k < m.params.length; k++) {
        const p = m.params[k]!;
        // Output-loss calls add into itemEmb.grad; the finite difference ignores grads, so this is fine.
        const err = checkGrad(f, p.value, grads[k]!, sampleIdx(p.size, 24), p.name.endsWith('Emb') ? 1e-6 : 1e-4);
        expect(err, p.name).toBeLessThan(1e-4);
      }
    });
  }

  // Alignment targets for the test batch: a rationale vector for some (sequence, position) pairs; positions refer to
  // the training sequence (inputs are seqs[b], so input row j of sequence b explains position j + 1). The fourth
  // sequence shares its rationale row with the first (same text): no negative for it.
  const alignTargets = () => {
    const dim = 3;
    const vectors = Float32Array.from([...randomVec(3, 1), ...randomVec(3, 2), ...randomVec(3, 3), ...randomVec(3, 4)]);
    const rowOf = [Int32Array.from([-1, 0, 1, 2]), Int32Array.from([-1, -1]), Int32Array.from([-1, 3, -1, 1, 2, -1, 0, 3]), Int32Array.from([-1, -1, 0])];
    return { dim, vectors, rowOf };
  };
  const inputLengths = seqs.map((s) => s.length);

  for (const kind of ['cosine', 'infonce'] as const) {
    it(`aux alignment (${kind}) at every position: gradient through projection and model`, () => {
      const m = makeModel();
      const ws = new CeWorkspace();
      const aux = new AuxAlignment(ctx, { targets: alignTargets(), weight: 0.7, kind, temperature: 0.5 }, cfg.hidden, 4, new Rng(8));
      const users = [0, 1, 2, 3];
      const params = [...m.params, aux.proj];
      const run = (backward: boolean): number => {
        const { h, cache } = m.forward(batch, new Rng(3));
        const out = crossEntropyAllItems(ctx, h, T, m.itemEmb, targets, 1 / T, ws);
        const savedGrad = Float64Array.from(aux.proj.grad);
        const a = aux.lossAndGrad(h, batch.offsets, users, inputLengths, out.dh, null);
        if (backward) m.backward(cache, out.dh);
        else aux.proj.grad.set(savedGrad);
        return out.loss / T + 0.7 * a;
      };
      for (const p of params) p.grad.fill(0);
      run(true);
      const grads = params.map((p) => Float64Array.from(p.grad));
      for (let k = 0; k < params.length; k++) {
        const p = params[k]!;
        const err = checkGrad(() => run(false), p.value, grads[k]!, sampleIdx(p.size, 16), p.name.endsWith('Emb') ? 1e-6 : 1e-4);
        expect(err, p.name).toBeLessThan(1e-4);
      }
    });
  }

  it('aux alignment takes every position that has a rationale, within the maxLen window', () => {
    const m = makeModel();
    const t = alignTargets();
    const aux = new AuxAlignment(ctx, { targets: t, weight: 1, kind: 'cosine' }, cfg.hidden, 4, new Rng(8));
    const { h } = m.forward(batch, null);
    // Expected: the mean of 1 - cos(W h_row, r) over the aligned rows, computed directly.
    const d = cfg.hidden;
    let sum = 0;
    let n = 0;
    seqs.forEach((s, b) => {
      const rows = batch.offsets[b + 1]! - batch.offsets[b]!;
      const first = s.length - rows;
      for (let j = 0; j < rows; j++) {
        const r = t.rowOf[b]![first + j + 1] ?? -1;
        if (r < 0) continue;
        const z = Array.from({ length: 3 }, (_, a) => {
          let v = 0;
          for (let c = 0; c < d; c++) v += aux.proj.value[a * d + c]! * h[(batch.offsets[b]! + j) * d + c]!;
          return v;
        });
        const tv = Array.from(t.vectors.subarray(r * 3, r * 3 + 3));
        const dot = z.reduce((acc, v, a) => acc + v * tv[a]!, 0);
        sum += 1 - dot / (Math.hypot(...z) * Math.hypot(...tv));
        n++;
      }
    });
    // seqs[2] has 7 inputs truncated to maxLen 5: positions 3..7 take part (4 of them have a rationale), 1 and 2
    // fall outside the window.
    expect(n).toBe(3 + 0 + 4 + 1);
    const got = aux.lossAndGrad(h, batch.offsets, [0, 1, 2, 3], inputLengths, new Float64Array(h.length), null);
    expect(got).toBeCloseTo(sum / n, 10);
  });

  it('item-text fusion: gradients of the ID embeddings and the text projection (CE and aux)', () => {
    const itemDim = 5;
    const vectors = new Float32Array((nItems + 1) * itemDim);
    vectors.set(randomVec(nItems * itemDim, 77), itemDim); // row 0 stays zero (padding)
    for (let i = itemDim * 3; i < itemDim * 4; i++) vectors[i] = 0; // an item without text
    const m = new SasrecModel(ctx, cfg, nItems, { vectors, dim: itemDim });
    m.init(new Rng(5));
    const src = makeModel();
    src.params.forEach((p, i) => m.params[i]!.value.set(p.value));
    const proj = m.params.find((p) => p.name === 'itemText.proj')!;
    proj.value.set(randomVec(proj.size, 9, 0.5));
    const ws = new CeWorkspace();
    const run = (backward: boolean): number => {
      const { h, cache } = m.forward(batch, new Rng(99));
      const out = crossEntropyAllItems(ctx, h, T, m.outputTable(cache), targets, 1 / T, ws);
      if (backward) m.backward(cache, out.dh);
      return out.loss / T;
    };
    for (const p of m.params) p.grad.fill(0);
    run(true);
    const grads = m.params.map((p) => Float64Array.from(p.grad));
    for (let k = 0; k < m.params.length; k++) {
      const p = m.params[k]!;
      const err = checkGrad(() => run(false), p.value, grads[k]!, sampleIdx(p.size, 24), p.name.endsWith('Emb') ? 1e-6 : 1e-4);
      expect(err, p.name).toBeLessThan(1e-4);
    }
    // The fused table is what scoring sees: E + S P^T.
    const table = m.itemTable();
    const d = cfg.hidden;
    let s = 0;
    for (let a = 0; a < itemDim; a++) s += vectors[2 * itemDim + a]! * proj.value[1 * itemDim + a]!;
    expect(table[2 * d + 1]).toBeCloseTo(m.itemEmb.value[2 * d + 1]! + s, 12);
  });

  it('float32 (active kernels) forward agrees with float64', () => {
    const k = loadKernels();
    const c32: Ctx = { kernels: k, dtype: 'f32' };
    const m64 = makeModel();
    const m32 = new SasrecModel(c32, cfg, nItems);
    m32.params.forEach((p, i) => p.value.set(m64.params[i]!.value));
    const h64 = m64.forward(batch, null).h;
    const h32 = m32.forward(batch, null).h;
    let worst = 0;
    for (let i = 0; i < h64.length; i++) worst = Math.max(worst, Math.abs(h64[i]! - h32[i]!));
    expect(worst).toBeLessThan(1e-3);
  });
});
