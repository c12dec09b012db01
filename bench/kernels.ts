// Kernel-level figures behind docs/training-engine.md: the fused output layer against the unfused one (three
// products + softmax-CE over materialized logits, through the same addon), the built-in SGEMM against the
// addon's GEMM (OpenBLAS when built with it) on the encoder's product shapes, and each on 1 and 2 threads.
// Times are medians of interleaved repetitions, wall clock and CPU time (all threads; on a shared machine the
// CPU time of 1 thread is the steadier measure of a kernel's own cost). FLOP/s count the useful products only.
//
// Usage: node scripts/run-ts.mjs bench/kernels.ts [--rows 1600] [--items 12101] [--reps 7]
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { kernelInfo, loadKernels, setKernelThreads, type Kernels } from '../main/base/engine/kernels.js';

const args = process.argv.slice(2);
const flag = (name: string, def: string): number => Number(args.includes(name) ? args[args.indexOf(name) + 1] : def);
const rows = flag('--rows', '1600');
const nItems = flag('--items', '12101');
const reps = flag('--reps', '7');
const d = 64;

const k = loadKernels();
const info = kernelInfo();
if (k.name !== 'native') {
  console.log(`native kernels not loaded (${info.reason}); nothing to measure`);
  process.exit(0);
}
const addon = createRequire(import.meta.url)(info.addon!) as { builtinSgemm: Kernels['sgemm'] };

const rnd = (n: number, seed: number, scale: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 - 0.5) * scale;
  });
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Interleaves the cases rep by rep (the machine may be shared); each one's median wall and CPU ms. */
function bench(cases: Record<string, () => void>): Record<string, { wall: number; cpu: number }> {
  const t: Record<string, { wall: number[]; cpu: number[] }> = Object.fromEntries(Object.keys(cases).map((c) => [c, { wall: [], cpu: [] }]));
  for (const f of Object.values(cases)) f(); // warm-up
  for (let r = 0; r < reps; r++)
    for (const [name, f] of Object.entries(cases)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      f();
      t[name]!.wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      t[name]!.cpu.push((c.user + c.system) / 1000);
    }
  return Object.fromEntries(Object.entries(t).map(([c, x]) => [c, { wall: median(x.wall), cpu: median(x.cpu) }]));
}

const h = rnd(rows * d, 1, 2);
const table = rnd(nItems * d, 2, 0.5);
const cls = Int32Array.from({ length: rows }, (_, r) => (r * 7919) % nItems);
const dh = new Float32Array(rows * d);
const dtable = new Float32Array(nItems * d);
const chunk = 1024;
const logits = new Float32Array(chunk * nItems);
const unfused = (): void => {
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const rc = Math.min(chunk, rows - r0);
    const hs = h.subarray(r0 * d, (r0 + rc) * d);
    const l = logits.subarray(0, rc * nItems);
    k.sgemm(false, true, rc, nItems, d, 1, hs, d, table, d, 0, l, nItems);
    k.softmaxCrossEntropy(l, rc, nItems, cls.subarray(r0, r0 + rc), 1 / rows);
    k.sgemm(false, false, rc, d, nItems, 1, l, nItems, table, d, 0, dh.subarray(r0 * d, (r0 + rc) * d), d);
    k.sgemm(true, false, nItems, d, rc, 1, l, nItems, hs, d, 1, dtable, d);
  }
};
const fused = (): void => void k.crossEntropyItems(h, rows, d, table, nItems, cls, 1 / rows, dh, dtable);

console.log(
  `cpus: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(`kernels: ${info.variant}, ${info.isa}; ${info.blas}`);
console.log(`\noutput layer, ${rows} rows x ${nItems} items x ${d}: 3 products = ${((6 * rows * nItems * d) / 1e9).toFixed(2)} GFLOP`);
for (const threads of [1, 2]) {
  setKernelThreads(threads);
  const r = bench({ unfused, fused });
  const gf = (6 * rows * nItems * d) / 1e9;
  const u = r.unfused!;
  const f = r.fused!;
  console.log(
    `  ${threads} thread${threads > 1 ? 's' : ' '}: unfused ${u.wall.toFixed(1)} ms wall / ${u.cpu.toFixed(1)} ms CPU, fused ${f.wall.toFixed(1)} ms wall / ${f.cpu.toFixed(1)} ms CPU (${((gf / f.cpu) * 1000).toFixed(0)} GFLOP/s of CPU time for the 3 products; it computes 4); fused ${(u.wall / f.wall).toFixed(2)}x faster (wall), ${(u.cpu / f.cpu).toFixed(2)}x less CPU`,
  );
}

console.log(`\nencoder products (${rows} tokens):`);
const shapes: [boolean, boolean, number, number, number, string][] = [
  [false, true, rows, 192, d, 'qkv = x W^T'],
  [false, true, rows, 256, d, 'ff1 = x W^T'],
  [false, true, rows, d, 256, 'ff2 = g W^T'],
  [true, false, 192, d, rows, 'dW = dy^T x'],
  [false, false, rows, 256, d, 'dx = dy W'],
];
for (const threads of [1, 2]) {
  setKernelThreads(threads);
  for (const [ta, tb, m, n, kk, what] of shapes) {
    const A = rnd(m * kk, 3, 1);
    const B = rnd(n * kk, 4, 1);
    const C = new Float32Array(m * n);
    const lda = ta ? m : kk;
    const ldb = tb ? kk : n;
    const r = bench({
      addon: () => k.sgemm(ta, tb, m, n, kk, 1, A, lda, B, ldb, 0, C, n),
      builtin: () => addon.builtinSgemm(ta, tb, m, n, kk, 1, A, lda, B, ldb, 0, C, n),
    });
    const gf = (2 * m * n * kk) / 1e9;
    const rate = (x: { wall: number; cpu: number }): string => `${((gf / x.wall) * 1000).toFixed(0)} (of CPU time ${((gf / x.cpu) * 1000).toFixed(0)})`;
    console.log(
      `  ${threads} thread${threads > 1 ? 's' : ' '} ${what.padEnd(12)} ${m}x${n}x${kk}: ${info.variant === 'native+openblas' ? 'OpenBLAS' : 'addon'} ${rate(r.addon!)} GFLOP/s, built-in ${rate(r.builtin!)} GFLOP/s`,
    );
  }
}
