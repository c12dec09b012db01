// The layer rule of docs/architecture.md as data: which layer a file belongs to and which layers it may import.
import type { ImportGraph } from './import-graph.js';
import { findCycles } from './import-graph.js';

/**
 * The composition root: the one place that names every feature (handlers, job kinds, the worker entry). It lives
 * beside the features, in main/features/, and is imported by the doors only.
 */
export const COMPOSITION_ROOT = ['main/features/index.ts', 'main/features/job-kinds.ts', 'main/features/job-worker.ts'];

export type Layer = 'base' | 'platform' | 'feature' | 'root' | 'doors' | 'common' | 'preload' | 'renderer' | 'other';

export function layerOf(file: string): Layer {
  if (COMPOSITION_ROOT.includes(file)) return 'root';
  if (file.startsWith('main/base/')) return 'base';
  if (file.startsWith('main/platform/')) return 'platform';
  if (/^main\/features\/[^/]+\//.test(file)) return 'feature';
  if (file.startsWith('main/doors/')) return 'doors';
  if (file.startsWith('common/')) return 'common';
  if (file.startsWith('preload/')) return 'preload';
  if (file.startsWith('renderer/')) return 'renderer';
  return 'other';
}

/** main/features/<name>/… → <name>; undefined outside a feature. */
export function featureOf(file: string): string | undefined {
  return /^main\/features\/([^/]+)\//.exec(file)?.[1];
}

/** What each layer may import (besides itself). Features may import other features, in one direction (below). */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  base: ['base', 'common'],
  platform: ['base', 'platform', 'common'],
  feature: ['base', 'platform', 'feature', 'common'],
  root: ['base', 'platform', 'feature', 'root', 'common'],
  doors: ['base', 'platform', 'feature', 'root', 'doors', 'common'],
  common: ['common'],
  preload: ['preload', 'common'],
  renderer: ['renderer', 'common'],
  other: [],
};

/** Imports that break the layer rule, as "from -> to (layer -> layer)". */
export function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, deps] of graph) {
    const lf = layerOf(from);
    for (const to of deps) {
      const lt = layerOf(to);
      if (!MAY_IMPORT[lf].includes(lt)) out.push(`${from} -> ${to} (${lf} may not import ${lt})`);
    }
  }
  return out;
}

/** The features' own graph (feature -> features it imports), with one file import as the witness of each edge. */
export function featureGraph(graph: ImportGraph): { graph: ImportGraph; witness: Map<string, string> } {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, string>();
  for (const [from, deps] of graph) {
    const a = featureOf(from);
    if (!a) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    for (const to of deps) {
      const b = featureOf(to);
      if (!b || b === a) continue;
      edges.get(a)!.add(b);
      if (!witness.has(`${a}->${b}`)) witness.set(`${a}->${b}`, `${from} -> ${to}`);
    }
  }
  return { graph: new Map([...edges].map(([k, v]) => [k, [...v].sort()])), witness };
}

/** Cycles among features (a imports b, b imports a, possibly through others), each with the file imports that close it. */
export function featureCycles(graph: ImportGraph): string[] {
  const { graph: fg, witness } = featureGraph(graph);
  return findCycles(fg).map((c) => {
    const steps = c.slice(1).map((b, i) => `  ${witness.get(`${c[i]}->${b}`)}`);
    return `${c.join(' -> ')}\n${steps.join('\n')}`;
  });
}
