import { describe, expect, it } from 'vitest';
import { Rng } from '../../../main/base/rng.js';
import { infoNce } from '../../../main/features/space/infonce.js';
import { embedRows, Tower, type TowerKind } from '../../../main/features/space/towers.js';
import { SpaceTowers, spaceCtx } from '../../../main/features/space/trainer.js';

const ctx = spaceCtx('f64');

function randRows(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * d }, () => rng.normal());
}

describe('towers', () => {
  for (const kind of ['linear', 'mlp'] as TowerKind[]) {
    it(`${kind}: starts as the identity, so an untrained space is the base encoder's`, () => {
      const t = new Tower(ctx, 'b', { kind, inDim: 6, outDim: 6, hidden: 5 }, 1);
      const x = randRows(3, 6, 2);
      const { y } = t.forward(x, 3);
      for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(x[i]!, 12);
    });

    it(`${kind}: parameter gradients of InfoNCE through both towers match central differences`, () => {
      const n = 4;
      const d = 5;
      const towers = new SpaceTowers(ctx, { kind, inDim: d, outDim: d, hidden: 3 }, 7);
      // Move off the identity start so every weight matters.
      const rng = new Rng(9);
      for (const p of towers.params) for (let i = 0; i < p.size; i++) p.value[i] += 0.3 * rng.normal();
      const xb = randRows(n, d, 3);
      const xr = randRows(n, d, 4);
      const negs = [[1, 2], [0, 3], [3], [0, 1, 2]];
      const loss = () => infoNce(towers.behaviour.forward(xb, n).y, towers.rationale.forward(xr, n).y, n, d, 0.5, negs).loss;
      for (const p of towers.params) p.grad.fill(0);
      const fb = towers.behaviour.forward(xb, n);
      const fr = towers.rationale.forward(xr, n);
      const res = infoNce(fb.y, fr.y, n, d, 0.5, negs);
      towers.behaviour.backward(fb.cache, res.db);
      towers.rationale.backward(fr.cache, res.dr);
      let worst = 0;
      for (const p of towers.params) {
        for (let i = 0; i < p.size; i++) {
          const o = p.value[i]!;
          p.value[i] = o + 1e-6;
          const fp = loss();
          p.value[i] = o - 1e-6;
          const fm = loss();
          p.value[i] = o;
          const num = (fp - fm) / 2e-6;
          worst = Math.max(worst, Math.abs(num - p.grad[i]!) / Math.max(1e-7, Math.abs(num) + Math.abs(p.grad[i]!)));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('embedRows gives unit vectors; save and load round-trip', async () => {
    const { tempDir } = await import('../../support/temp.js');
    const t = tempDir();
    try {
      const f32 = spaceCtx('f32');
      const towers = new SpaceTowers(f32, SpaceTowers.configFor(8, { tower: 'mlp', hidden: 4 }), 3);
      for (const p of towers.params) for (let i = 0; i < p.size; i++) p.value[i] += 0.01 * ((i % 7) - 3);
      const base = Array.from({ length: 5 }, (_, i) => Float32Array.from({ length: 8 }, (_, j) => Math.sin(i + 2 * j)));
      const a = embedRows(towers.behaviour, base);
      for (const v of a) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      towers.save(`${t.dir}/t.bin`);
      const back = SpaceTowers.load(`${t.dir}/t.bin`, f32).towers;
      expect(embedRows(back.behaviour, base)).toEqual(a);
    } finally {
      t.cleanup();
    }
  });
});
