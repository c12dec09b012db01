/**
 * Tree-of-Thought with beam search over reasoning chains (the paper's refinement: depth 3, branching 3, beam
 * 2). At each depth every kept chain gets `branching` proposed next steps; each new chain (root to node) is
 * scored as a whole; the `beam` best chains at that depth are kept and expanded. The best chain at the last
 * depth wins. Proposing and scoring are injected: the job uses the SLM and the Thought Space.
 */

export interface TotSettings {
  depth: number;
  branching: number;
  beam: number;
}

export interface TotNode {
  id: number;
  parent: number | null;
  depth: number;
  step: string;
  score: number;
  kept: boolean;
}

export interface TotResult {
  nodes: TotNode[];
  bestNode: number;
  bestScore: number;
  /** Node ids, root to leaf. */
  bestChain: number[];
  text: string;
}

export interface TotDeps {
  /** `n` candidate next steps after `chain` (steps so far, oldest first); `key` identifies the parent for seeding. */
  propose(chain: string[], n: number, key: number): Promise<string[]>;
  /** One score per chain text (higher is better). */
  score(texts: string[]): Promise<number[]>;
  throwIfCancelled?(): void;
  onDepth?(depth: number, nodes: TotNode[]): void;
}

export function chainOf(nodes: readonly TotNode[], id: number | null): number[] {
  const out: number[] = [];
  for (let at = id; at !== null; at = nodes[at]!.parent) out.push(at);
  return out.reverse();
}

/** A chain's rationale text: its steps in order, as one paragraph. */
export function chainText(nodes: readonly TotNode[], id: number): string {
  return chainOf(nodes, id)
    .map((i) => nodes[i]!.step.trim())
    .filter(Boolean)
    .join(' ');
}

export async function treeOfThought(s: TotSettings, deps: TotDeps): Promise<TotResult> {
  const nodes: TotNode[] = [];
  let frontier: Array<number | null> = [null];
  for (let depth = 1; depth <= s.depth; depth++) {
    deps.throwIfCancelled?.();
    const born: number[] = [];
    for (const parent of frontier) {
      const chain = parent === null ? [] : chainOf(nodes, parent).map((i) => nodes[i]!.step);
      const steps = await deps.propose(chain, s.branching, parent ?? -1);
      for (const step of steps) {
        const id = nodes.length;
        nodes.push({ id, parent, depth, step, score: Number.NEGATIVE_INFINITY, kept: false });
        born.push(id);
      }
    }
    const scores = await deps.score(born.map((id) => chainText(nodes, id)));
    born.forEach((id, i) => (nodes[id]!.score = Number.isFinite(scores[i]) ? scores[i]! : -1));
    // Ties keep birth order, so the search is deterministic for deterministic proposals and scores.
    const ranked = [...born].sort((a, b) => nodes[b]!.score - nodes[a]!.score || a - b);
    frontier = ranked.slice(0, s.beam);
    for (const id of frontier) nodes[id!]!.kept = true;
    deps.onDepth?.(
      depth,
      born.map((id) => nodes[id]!),
    );
  }
  const best = frontier[0]!;
  return { nodes, bestNode: best, bestScore: nodes[best]!.score, bestChain: chainOf(nodes, best), text: chainText(nodes, best) };
}
