import { describe, expect, it } from 'vitest';
import { chainText, treeOfThought, type TotDeps } from '../../../main/features/reasoning/tot.js';
import { mentionedOrder, rankingMetrics } from '../../../main/features/reasoning/rank-metrics.js';

/** Steps are "p<parent>b<branch>"; a chain scores by how many "good" steps it holds, as the space would. */
function fakeDeps(good: Set<string>): TotDeps & { proposals: Array<{ chain: string[]; n: number }> } {
  const proposals: Array<{ chain: string[]; n: number }> = [];
  return {
    proposals,
    async propose(chain, n, key) {
      proposals.push({ chain, n });
      return Array.from({ length: n }, (_, b) => `s${key}.${b}`);
    },
    async score(texts) {
      return texts.map((t) => t.split(' ').filter((w) => good.has(w)).length + t.length / 1000);
    },
  };
}

describe('Tree-of-Thought beam search', () => {
  it('depth 2, branching 3, beam 2: 3 + 2x3 nodes, beam kept per depth, best chain at the last depth', async () => {
    const deps = fakeDeps(new Set(['s-1.2', 's2.0']));
    const r = await treeOfThought({ depth: 2, branching: 3, beam: 2 }, deps);
    expect(r.nodes).toHaveLength(3 + 2 * 3);
    expect(r.nodes.filter((n) => n.depth === 1 && n.kept).map((n) => n.step)).toHaveLength(2);
    // Node 2 ("s-1.2") is the best first step; its children are proposed with it as the chain so far.
    expect(r.nodes[2]!.kept).toBe(true);
    expect(deps.proposals[1]!.chain).toEqual(['s-1.2']);
    expect(r.text).toBe('s-1.2 s2.0');
    expect(r.bestChain.map((i) => r.nodes[i]!.step)).toEqual(['s-1.2', 's2.0']);
    expect(r.bestScore).toBe(Math.max(...r.nodes.filter((n) => n.depth === 2).map((n) => n.score)));
    expect(chainText(r.nodes, r.bestNode)).toBe(r.text);
    // Only kept nodes were expanded.
    const parents = new Set(r.nodes.filter((n) => n.depth === 2).map((n) => n.parent));
    expect([...parents].every((p) => r.nodes[p!]!.kept)).toBe(true);
  });

  it('the paper defaults (3, 3, 2) grow 3 + 6 + 6 nodes and are deterministic', async () => {
    const a = await treeOfThought({ depth: 3, branching: 3, beam: 2 }, fakeDeps(new Set(['s-1.0'])));
    const b = await treeOfThought({ depth: 3, branching: 3, beam: 2 }, fakeDeps(new Set(['s-1.0'])));
    expect(a.nodes).toHaveLength(15);
    expect(a).toEqual(b);
  });

  it('stops when cancelled between depths', async () => {
    let calls = 0;
    const deps = {
      ...fakeDeps(new Set()),
      throwIfCancelled() {
        if (++calls > 1) throw new Error('cancelled');
      },
    };
    await expect(treeOfThought({ depth: 3, branching: 2, beam: 1 }, deps)).rejects.toThrow('cancelled');
  });
});

describe('ranking measures', () => {
  it('HR@k, NDCG@k and MRR from ranks of the positive', () => {
    const m = rankingMetrics([0, 1, 4, -1], 5);
    expect(m['hr@1']).toBe(0.25);
    expect(m['hr@3']).toBe(0.5);
    expect(m['hr@5']).toBe(0.75);
    expect(m['ndcg@5']).toBeCloseTo((1 + 1 / Math.log2(3) + 1 / Math.log2(6)) / 4, 12);
    expect(m.mrr).toBeCloseTo((1 + 0.5 + 0.2) / 4, 12);
  });

  it('generated text: candidates in order of first mention; a title inside a longer one does not count', () => {
    const titles = ['Mascara', 'Lumière Mascara', 'Body Mist'];
    expect(mentionedOrder('I pick the lumière  mascara, then body mist', titles)).toEqual([1, 2]);
    expect(mentionedOrder('Mascara. Or Lumière Mascara', titles)).toEqual([0, 1]);
    expect(mentionedOrder('nothing here', titles)).toEqual([]);
  });
});
