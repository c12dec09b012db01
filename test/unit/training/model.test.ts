import { describe, expect, it } from 'vitest';
import { jsKernels, loadKernels } from '../../../main/training/engine/kernels.js';
import { CeWorkspace, crossEntropyAllItems, bceSampled } from '../../../main/training/engine/losses.js';
import { Rng } from '../../../main/training/engine/rng.js';
import type { Ctx } from '../../../main/training/engine/tensor.js';
import { AuxAlignment } from '../../../main/training/sasrec/aux.js';
import { resolveConfig } from '../../../main/training/sasrec/config.js';
import { packSequences, SasrecModel } from '../../../main/training/sasrec/model.js';
import { checkGrad, randomVec, sampleIdx } from './gradcheck.js';

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

  for (const kind of ['cosine', 'infonce'] as const) {
    it(`aux alignment (${kind}) gradient through projection and model`, () => {
      const m = makeModel();
      const ws = new CeWorkspace();
      const targetsAux = [randomVec(3, 1), undefined, randomVec(3, 2), randomVec(3, 3)].map((v) => (v ? Float32Array.from(v) : undefined));
      const aux = new AuxAlignment(ctx, { targets: targetsAux, weight: 0.7, kind, temperature: 0.5 }, cfg.hidden, 4, new Rng(8));
      const users = [0, 1, 2, 3];
      const params = [...m.params, aux.proj];
      const run = (backward: boolean): number => {
        const { h, cache } = m.forward(batch, new Rng(3));
        const out = crossEntropyAllItems(ctx, h, T, m.itemEmb, targets, 1 / T, ws);
        const savedGrad = Float64Array.from(aux.proj.grad);
        const a = aux.lossAndGrad(h, batch.offsets, users, out.dh);
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
