// The import graph of the app's own code (main/, common/, preload/, renderer/), read with TypeScript's own
// pre-processor: static imports, `export … from`, `import type`, dynamic `import('…')` and `new URL('…', import.meta.url)`
// worker entries are not imports (the job service loads the build's copy). Relative specifiers are resolved to
// files; packages (zod, react, node:*) are not part of the graph.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const SOURCE_DIRS = ['main', 'common', 'preload', 'renderer'];

/** Files (repository-relative, '/'-separated) and, for each, the files it imports. */
export type ImportGraph = Map<string, string[]>;

const CODE = /\.(ts|tsx)$/;

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (CODE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
}

/** The file a relative specifier names: `./x.js` is x.ts or x.tsx, `./x` also x/index.ts; null for assets (CSS). */
export function resolveSpecifier(fromFile: string, spec: string): string | null {
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(js|jsx|mjs|ts|tsx)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')];
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

/** Imports of one file's text as specifiers (static, re-exports, type-only and dynamic). */
export function importSpecifiers(fileName: string, text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

export function buildImportGraph(root = ROOT, dirs = SOURCE_DIRS): { graph: ImportGraph; unresolved: string[] } {
  const files: string[] = [];
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d), files);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const graph: ImportGraph = new Map();
  const unresolved: string[] = [];
  for (const f of files) {
    const deps = new Set<string>();
    for (const spec of importSpecifiers(f, fs.readFileSync(f, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(f, spec);
      if (target) deps.add(rel(target));
      else if (!/\.(css|svg|png|json|html)$/.test(spec)) unresolved.push(`${rel(f)} -> ${spec}`);
    }
    graph.set(rel(f), [...deps].sort());
  }
  return { graph, unresolved };
}

/** Every import cycle, one per strongly connected component (Tarjan), each as a path a -> b -> … -> a. */
export function findCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components.map((comp) => cycleThrough(graph, new Set(comp)));
}

/** One concrete cycle inside a strongly connected component (breadth-first back to its first file). */
function cycleThrough(graph: ImportGraph, comp: Set<string>): string[] {
  const start = [...comp].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const pathBack = [v];
        while (pathBack[0] !== start) pathBack.unshift(prev.get(pathBack[0]!)!);
        return [...pathBack, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
