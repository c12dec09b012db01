/**
 * Review latency on a workspace with 100,000 rationales (docs/review.md quotes its output).
 *
 *   node scripts/run-ts.mjs bench/review-latency.ts [--rationales 100000] [--decisions 300] [--workspace DIR] [--no-browser]
 *
 * 1. Builds the workspace: a synthetic dataset with one user per rationale, extractive drafts for every user (the
 *    rationales engineer's drafter), quality flags for every version. Reused when --workspace names a built one.
 * 2. Host side (in process, through Host.call like every door): decision -> next record (review.decide with
 *    `next`), bulk-view filters and full-text searches, p50/p95.
 * 3. In Chromium via the real UI (`pulse serve` + the built renderer; skipped without them): the time from the
 *    decision key's keydown to the next record's text in the editor (its `data-shown` mark, then one animation
 *    frame), and bulk-view search round trips from the page. Needs `npx tsc -p tsconfig.build.json && npx vite build`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONTRIBUTIONS } from '../main/features/index.js';
import { Host } from '../main/platform/host/host.js';
import { randomUUID } from 'node:crypto';
import type { Db } from '../main/platform/storage/database.js';
import { refreshQuality } from '../main/features/review/quality.js';
import { DEFAULT_CONFIG } from '../main/features/review/review-config.js';
import { openDatabase } from '../main/platform/storage/database.js';
import { insertDataset } from '../test/support/review-data.js';

const { values } = parseArgs({
  options: {
    rationales: { type: 'string', default: '100000' },
    decisions: { type: 'string', default: '300' },
    workspace: { type: 'string' },
    'no-browser': { type: 'boolean' },
  },
});
const N = Number(values.rationales);
const DECISIONS = Number(values.decisions);
const ws = path.resolve(values.workspace ?? path.join(os.tmpdir(), `pulse-bench-review-${N}`));
const DATASET = 'bench';
const ANNOTATOR = 'bench';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms (n=${xs.length})`;
const results: Record<string, unknown> = { rationales: N, workspace: ws, cpu: os.cpus()[0]?.model, node: process.version };

/**
 * One rationale per user, written directly (the drafter takes about 3 ms a user; this takes microseconds): text
 * built from the user's own training history, as the extractive drafter's is, and a mix of agents, models and
 * templates so every bulk-view filter has something to filter. Triggers fill review_state and review_fts.
 */
function synthesize(db: Db, datasetId: number): number {
  const rows = db
    .prepare(
      `SELECT x.user_idx AS u, x.pos, x.item_idx AS item, n.n_interactions AS n, i.title, i.brand FROM interactions x
       JOIN users n ON n.dataset_id = x.dataset_id AND n.idx = x.user_idx JOIN items i ON i.dataset_id = x.dataset_id AND i.idx = x.item_idx
       WHERE x.dataset_id = ? ORDER BY x.user_idx, x.pos`,
    )
    .all(datasetId) as Array<{ u: number; pos: number; item: number; n: number; title: string; brand: string }>;
  const addR = db.prepare('INSERT INTO rationales(dataset_id, user_idx, item_idx, target_pos, user_original_id, item_original_id) VALUES (?, ?, ?, ?, ?, ?)');
  const addV = db.prepare(
    "INSERT INTO rationale_versions(rationale_id, version, uid, text, agent_kind, agent, generation_key) VALUES (?, 1, ?, ?, ?, ?, 'bench')",
  );
  const models = ['qwen2.5-0.5b-instruct', 'smollm2-360m-instruct', 'llama-3.2-1b-instruct'];
  let written = 0;
  let cur: Array<{ pos: number; item: number; title: string; brand: string }> = [];
  let curU = -1;
  let curN = 0;
  const flush = () => {
    if (curU < 0 || curN < 3) return;
    const targetPos = curN - 3;
    const target = cur[targetPos]!;
    const hist = cur.slice(0, targetPos);
    const brands = [...new Set(hist.map((h) => h.brand))];
    const text =
      hist.length === 0
        ? `This is the first purchase of user ${curU}, so nothing earlier explains it; ${target.title} was chosen on its own merits.`
        : `Across ${hist.length} earlier purchases user ${curU} bought from ${brands.join(', ')}, including ${hist[hist.length - 1]!.title}. ` +
          `${brands.includes(target.brand) ? `They return to ${target.brand}` : `${target.brand} is new to them`}, so ${target.title} ${curU % 3 ? 'fits the pattern' : 'is a considered departure'}.`;
    const rid = Number(addR.run(datasetId, curU, target.item, targetPos, `U${curU}`, `ITEM${String(target.item).padStart(6, '0')}`).lastInsertRowid);
    const slm = curU % 10 < 3;
    const agent = slm
      ? { model: { name: models[curU % models.length] }, template: { name: curU % 2 ? 'pulse-rationale' : 'short-why' }, kind: 'slm' }
      : { drafter: 'pulse-extractive', version: 1, kind: 'extractive' };
    addV.run(rid, randomUUID(), text, slm ? 'slm' : 'extractive', JSON.stringify(agent));
    written++;
  };
  db.transaction(() => {
    for (const r of rows) {
      if (r.u !== curU) {
        flush();
        curU = r.u;
        curN = r.n;
        cur = [];
      }
      cur.push(r);
    }
    flush();
  })();
  return written;
}

// ---------------------------------------------------------------- 1. the workspace
fs.mkdirSync(ws, { recursive: true });
{
  const db = openDatabase(path.join(ws, 'workspace.sqlite'));
  const have = db.prepare('SELECT COUNT(*) FROM rationales r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = ?').pluck().get(DATASET) as number;
  if (have < N) {
    db.prepare('DELETE FROM datasets WHERE name = ?').run(DATASET);
    let t = performance.now();
    const id = insertDataset(db, DATASET, { users: N, items: Math.max(100, Math.round(N / 5)), seed: 3 });
    console.log(`dataset: ${N} users in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const d = synthesize(db, id);
    console.log(`wrote ${d} rationales in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  // Quality flags for whatever is not checked yet (all of it on a fresh build).
  const dsId = db.prepare('SELECT id FROM datasets WHERE name = ?').pluck().get(DATASET) as number;
  const q = refreshQuality(db, dsId, DEFAULT_CONFIG);
  console.log(`quality: ${q.checked} versions checked in ${(q.ms / 1000).toFixed(1)} s, flags ${JSON.stringify(q.flags)}`);
  results.quality = { checked: q.checked, seconds: q.ms / 1000, flags: q.flags };
  db.close();
}

// ---------------------------------------------------------------- 2. host side
{
  const host = Host.open(ws, 'cli', CONTRIBUTIONS);
  await host.call('settings.update', { annotator: ANNOTATOR });
  let { record } = (await host.call('review.next', { dataset: DATASET, annotator: ANNOTATOR, queue: 'pending' })) as {
    record: { id: number; currentVersionId: number } | null;
  };
  const decideMs: number[] = [];
  for (let i = 0; i < DECISIONS && record; i++) {
    const t = performance.now();
    const r = (await host.call('review.decide', {
      id: record.id,
      annotator: ANNOTATOR,
      decision: i % 10 === 9 ? 'flagged' : 'accepted',
      versionId: record.currentVersionId,
      next: { queue: 'pending' },
    })) as {
      next: { record: typeof record };
    };
    decideMs.push(performance.now() - t);
    record = r.next.record;
  }
  console.log(`host: decision -> next record: ${fmt(decideMs)}`);
  results.hostDecideNext = { p50: pct(decideMs, 50), p95: pct(decideMs, 95) };

  const bulk = async (label: string, input: Record<string, unknown>, reps = 15) => {
    const ms: number[] = [];
    let total = 0;
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      const r = (await host.call('review.bulk', { dataset: DATASET, limit: 200, ...input })) as { total: number };
      ms.push(performance.now() - t);
      total = r.total;
    }
    console.log(`host: bulk ${label.padEnd(34)} ${String(total).padStart(7)} rows  ${fmt(ms)}`);
    return { label, total, p50: pct(ms, 50), p95: pct(ms, 95) };
  };
  results.hostFilters = [
    await bulk('no filter', {}),
    await bulk('status = pending', { status: ['pending'] }),
    await bulk('status = accepted', { status: ['accepted'] }),
    await bulk('agent = extractive, sort length desc', { agentKind: ['extractive'], sort: 'length', desc: true }),
    await bulk('length 200..300', { minLength: 200, maxLength: 300 }),
    await bulk('any quality flag', { anyFlag: true }),
    await bulk('near duplicate, sort status', { flags: ['near_duplicate'], sort: 'status' }),
    await bulk('annotator = bench', { annotator: ANNOTATOR }),
    await bulk('has edits', { hasEdits: true }),
    await bulk('page at offset 90,000', { offset: 90_000 }),
  ];
  results.hostSearch = [
    await bulk('search "stapler" (common word)', { search: 'stapler' }),
    await bulk('search "acme gel pen" (3 words)', { search: 'acme gel pen' }),
    await bulk('search "Model 4242" (rare)', { search: 'Model 4242' }),
    await bulk('search "restock" + pending', { search: 'restock', status: ['pending'] }),
    await bulk('search "no" (prefix, very common)', { search: 'no' }),
  ];
  await host.close();
}

// ---------------------------------------------------------------- 3. Chromium, the real UI
/** The few page globals the measurement uses (the Node type-check has no DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
}
interface PageWindow {
  __lat: number[];
  __t0: number;
  addEventListener(type: 'keydown', listener: (e: { key: string; timeStamp: number }) => void, capture: boolean): void;
  document: { querySelector(selector: string): PageElement | null };
  MutationObserver: new (callback: () => void) => { observe(el: PageElement, options: { attributes: boolean; attributeFilter: string[] }): void };
  requestAnimationFrame(callback: () => void): void;
}

const root = process.cwd(); // run from the repository root (see the usage above)
const chromium = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
const built = fs.existsSync(path.join(root, 'build/main/doors/cli/pulse.js')) && fs.existsSync(path.join(root, 'build/renderer/index.html'));
if (values['no-browser'] || !built || !fs.existsSync(chromium)) {
  console.log(
    `browser: skipped (${values['no-browser'] ? '--no-browser' : !built ? 'build first: npx tsc -p tsconfig.build.json && npx vite build' : `no Chromium at ${chromium}`})`,
  );
} else {
  const { launch, openWorkbench } = await import('../test/e2e/support/browser.js');
  const { spawn } = await import('node:child_process');
  const { createInterface } = await import('node:readline');
  const child = spawn(process.execPath, [path.join(root, 'bin/pulse.js'), 'serve', '--port', '0', '--workspace', ws, '--json'], {
    env: { ...process.env, PULSE_NO_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const server = {
    url: (JSON.parse(first) as { url: string }).url,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
  const b = await launch();
  try {
    const { page } = b;
    // Before the app's own listener (same window, capture phase, registered first): the decision key's time.
    await page.addInitScript(() => {
      const w = globalThis as unknown as PageWindow;
      w.__lat = [];
      w.__t0 = 0;
      w.addEventListener('keydown', (e) => e.key === 'a' && (w.__t0 = e.timeStamp), true);
    });
    await openWorkbench(page, server.url);
    await page.keyboard.press('Alt+2');
    await page.keyboard.press('Control+Alt+R');
    await page.locator('[data-testid="review-editor"][data-shown]:not([data-shown=""])').waitFor({ timeout: 120_000 });
    // Warm-up: monaco and the first queries.
    for (let i = 0; i < 5; i++) {
      const before = await page.locator('[data-testid="review-editor"]').getAttribute('data-shown');
      await page.keyboard.press('a');
      await page.locator(`[data-testid="review-editor"][data-busy="false"]:not([data-shown="${before}"]):not([data-shown=""])`).waitFor();
    }
    await page.evaluate(() => {
      const w = globalThis as unknown as PageWindow;
      w.__lat = [];
      w.__t0 = 0;
      const el = w.document.querySelector('[data-testid="review-editor"]')!;
      let last = el.getAttribute('data-shown');
      new w.MutationObserver(() => {
        const v = el.getAttribute('data-shown');
        if (v && v !== last && w.__t0) {
          last = v;
          const t0 = w.__t0;
          w.__t0 = 0;
          // Shown: the next frame after the text is in the editor.
          w.requestAnimationFrame(() => w.__lat.push(performance.now() - t0));
        }
      }).observe(el, { attributes: true, attributeFilter: ['data-shown'] });
    });
    const M = Math.min(200, DECISIONS);
    for (let i = 0; i < M; i++) {
      await page.keyboard.press('a');
      await page.waitForFunction((n) => (globalThis as unknown as PageWindow).__lat.length >= n, i + 1);
      await page.locator('[data-testid="review-editor"][data-busy="false"]').waitFor();
    }
    const lat = await page.evaluate(() => (globalThis as unknown as PageWindow).__lat);
    console.log(`chromium: decision key -> next record shown and editable: ${fmt(lat)}`);
    results.browserDecideNext = { p50: pct(lat, 50), p95: pct(lat, 95), n: lat.length };

    // Bulk-view searches as the page sends them (HTTP round trip, JSON, same host).
    const searches = ['stapler', 'acme gel pen', 'Model 4242', 'restock', 'notebook'];
    const rt: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      for (const q of searches) {
        rt.push(
          await page.evaluate(
            async ([dataset, search]) => {
              const t = performance.now();
              const r = await fetch('/api/call/review.bulk', {
                method: 'POST',
                body: JSON.stringify({ dataset, search, limit: 200 }),
                headers: { 'content-type': 'application/json' },
              });
              await r.json();
              return performance.now() - t;
            },
            [DATASET, q] as const,
          ),
        );
      }
    }
    console.log(`chromium: bulk search round trip from the page: ${fmt(rt)}`);
    results.browserSearch = { p50: pct(rt, 50), p95: pct(rt, 95), n: rt.length };
    if (b.problems.length) console.log('browser problems:', b.problems);
  } finally {
    await b.close();
    await server.stop();
  }
}
console.log(JSON.stringify(results));
