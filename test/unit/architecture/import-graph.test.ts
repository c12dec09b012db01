// The import rule of docs/architecture.md, checked over the real import graph: no file cycle, every import in an
// allowed direction (base < platform < features < composition root < doors; common/ under all; the renderer and
// the preload bridge reach the host through common/ only), and the features' own graph acyclic.
import { describe, expect, test } from 'vitest';
import { buildImportGraph, findCycles, type ImportGraph } from './import-graph.js';
import { COMPOSITION_ROOT, featureCycles, layerOf, layerViolations } from './layers.js';

const { graph, unresolved } = buildImportGraph();
const show = (cycles: string[][]) => cycles.map((c) => c.join(' -> ')).join('\n');

describe('import graph of main/, common/, preload/, renderer/', () => {
  test('is read whole (every relative import resolves to a file)', () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(unresolved).toEqual([]);
    for (const f of COMPOSITION_ROOT) expect(graph.has(f), f).toBe(true);
  });

  test('has no import cycle among files', () => {
    expect(show(findCycles(graph))).toBe('');
  });

  test('imports only in the allowed directions', () => {
    expect(layerViolations(graph)).toEqual([]);
    expect([...graph.keys()].filter((f) => layerOf(f) === 'other')).toEqual([]);
  });

  test('features import each other in one direction only', () => {
    expect(featureCycles(graph)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  test('a cycle is reported as the files that close it', () => {
    const cycles = findCycles(g({ 'main/a.ts': ['main/b.ts'], 'main/b.ts': ['main/c.ts'], 'main/c.ts': ['main/a.ts'], 'main/d.ts': ['main/a.ts'] }));
    expect(show(cycles)).toBe('main/a.ts -> main/b.ts -> main/c.ts -> main/a.ts');
    expect(findCycles(g({ 'x.ts': ['x.ts'] }))).toEqual([['x.ts', 'x.ts']]);
  });

  test('the platform importing a feature, the composition root or a door is a violation', () => {
    const bad = g({
      'main/platform/host/host.ts': ['main/features/training/run-store.ts', 'main/features/index.ts', 'main/doors/cli/pulse.ts'],
      'main/base/rng.ts': ['main/platform/paths.ts'],
      'common/contract/app.ts': ['main/base/errors.ts'],
      'renderer/main.tsx': ['main/features/index.ts'],
      'main/features/training/run-store.ts': ['main/features/index.ts'],
      'main/doors/cli/pulse.ts': ['main/features/index.ts', 'main/platform/host/host.ts'],
    });
    expect(layerViolations(bad)).toEqual([
      'main/platform/host/host.ts -> main/features/training/run-store.ts (platform may not import feature)',
      'main/platform/host/host.ts -> main/features/index.ts (platform may not import root)',
      'main/platform/host/host.ts -> main/doors/cli/pulse.ts (platform may not import doors)',
      'main/base/rng.ts -> main/platform/paths.ts (base may not import platform)',
      'common/contract/app.ts -> main/base/errors.ts (common may not import base)',
      'renderer/main.tsx -> main/features/index.ts (renderer may not import root)',
      'main/features/training/run-store.ts -> main/features/index.ts (feature may not import root)',
    ]);
  });

  test('two features importing each other is a cycle, even through different files', () => {
    const cycles = featureCycles(
      g({
        'main/features/a/x.ts': ['main/features/b/y.ts'],
        'main/features/b/z.ts': ['main/features/a/w.ts'],
        'main/features/a/w.ts': [],
        'main/features/b/y.ts': [],
      }),
    );
    expect(cycles).toEqual(['a -> b -> a\n  main/features/a/x.ts -> main/features/b/y.ts\n  main/features/b/z.ts -> main/features/a/w.ts']);
  });
});
