// Times the Thought Space's built-in encoder on a workspace dataset: TF-IDF fit (vocabulary, idf, randomized
// SVD) and encoding every behaviour and rationale text. Prints one JSON line.
// Usage: node scripts/run-ts.mjs bench/space-tfidf.ts WORKSPACE_DIR DATASET [--dim 128] [--power-iters N]
import { loadSpacePairs } from '../main/features/space/space-data.js';
import { TfidfEncoder } from '../main/features/space/tfidf-encoder.js';
import { Workspace } from '../main/platform/workspace/workspace.js';

const [dir, dataset] = process.argv.slice(2);
if (!dir || !dataset) {
  console.error('usage: bench/space-tfidf.ts WORKSPACE_DIR DATASET [--dim D] [--power-iters N]');
  process.exit(2);
}
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ws = Workspace.open(dir);
const t0 = performance.now();
const { pairs } = loadSpacePairs(ws.db, dataset);
const corpus = [...pairs.map((p) => p.behaviour), ...pairs.map((p) => p.rationale)];
const t1 = performance.now();
const enc = TfidfEncoder.fit(corpus, { dim: arg('dim', 128), powerIters: arg('power-iters', 2) });
const t2 = performance.now();
await enc.encode(corpus);
const t3 = performance.now();
console.log(
  JSON.stringify({
    dataset,
    texts: corpus.length,
    terms: enc.terms.length,
    dim: enc.dim,
    seconds: { load: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, encode: (t3 - t2) / 1000 },
  }),
);
ws.close();
