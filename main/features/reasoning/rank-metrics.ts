/** HR@k, NDCG@k and MRR over 0-based ranks of the positive (-1 = not ranked, a miss at every k). */
export function rankingMetrics(ranks: readonly number[], k: number): Record<string, number> {
  const ks = [...new Set([1, 3, 5, 10, 20, k].filter((x) => x <= k))].sort((a, b) => a - b);
  const n = ranks.length;
  const out: Record<string, number> = { users: n };
  for (const c of ks) {
    let hr = 0;
    let ndcg = 0;
    for (const r of ranks) {
      if (r >= 0 && r < c) {
        hr++;
        ndcg += 1 / Math.log2(r + 2);
      }
    }
    out[`hr@${c}`] = n ? hr / n : 0;
    if (c > 1) out[`ndcg@${c}`] = n ? ndcg / n : 0;
  }
  out.mrr = n ? ranks.reduce((s, r) => s + (r >= 0 ? 1 / (r + 1) : 0), 0) / n : 0;
  return out;
}

/**
 * Candidates in the order they first appear in generated text (case and spacing ignored). A title found only
 * inside a longer candidate's match does not count ("Mascara" inside "Lumière Mascara").
 */
export function mentionedOrder(output: string, titles: readonly string[]): number[] {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const text = norm(output);
  const spans: Array<{ i: number; start: number; end: number }> = [];
  titles.forEach((t, i) => {
    const needle = norm(t);
    if (!needle) return;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) spans.push({ i, start: at, end: at + needle.length });
  });
  const inside = (a: { start: number; end: number; i: number }) =>
    spans.some((b) => b.i !== a.i && b.end - b.start > a.end - a.start && b.start <= a.start && b.end >= a.end);
  const first = new Map<number, number>();
  for (const s of spans.filter((x) => !inside(x)).sort((a, b) => a.start - b.start)) if (!first.has(s.i)) first.set(s.i, s.start);
  return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([i]) => i);
}
