/**
 * Import throughput: imports Beauty and a generated S3-Rec-style file (>= 10M interactions, streamed to disk)
 * with the dataset importer, each in its own child process against a temp workspace (so peak RSS is per
 * import), and times Debian's sqlite3 shell loading the same interactions as CSV `user,item,pos` with
 * `.import` plus an index on (user,pos). Prints interactions/s for both and the ratio.
 *
 * Fairness: both sides load the same generated interactions (ours from the S3-Rec text, the shell from the
 * equivalent CSV). The shell is timed as a whole process (start, .import, CREATE INDEX, exit); ours around the
 * importDataset call, i.e. including detection, staging, the workspace transaction, its commit, the WAL
 * checkpoint that commit triggers and the cleanup of the temp tables. On a shared, loaded machine the two are run as
 * interleaved pairs (ours, shell, ours, shell, ...: BENCH_REPEAT pairs, 3 by default) and each pair gives a
 * ratio; the median is the headline. CPU seconds (user+sys) are printed too: they move less with load.
 *
 *   node scripts/run-ts.mjs bench/import-throughput.ts          (BENCH_INTERACTIONS=10000000, BENCH_REPEAT=3)
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importDataset } from '../main/features/datasets/importer.js';
import { openDatabase } from '../main/platform/storage/database.js';
import { dataSet } from '../test/support/data.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function child(): Promise<void> {
  const { file, name, ws } = JSON.parse(process.env.PULSE_BENCH_CHILD!) as { file: string; name: string; ws: string };
  fs.mkdirSync(ws, { recursive: true });
  const db = openDatabase(path.join(ws, 'workspace.sqlite'));
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss / 2 ** 20), 250);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await importDataset(db, { paths: [file], name });
  // Timed around the call (not r.seconds) so the importer's own cleanup of its temp tables counts too.
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  clearInterval(timer);
  db.close();
  process.stdout.write(
    JSON.stringify({
      ...r,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: peakRssMiB(),
      rssSamplesMiB: samples.filter((_, k) => k % Math.max(1, Math.floor(samples.length / 8)) === 0).map(Math.round),
    }) + '\n',
  );
}

function runChild(file: string, name: string, ws: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, PULSE_BENCH_CHILD: JSON.stringify({ file, name, ws }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`child exit ${code}`))));
  });
}

/** Deterministic synthetic data: users with 5..95 interactions over a Zipf-ish item catalogue. */
async function generate(dir: string, target: number): Promise<{ s3rec: string; csv: string; rows: number }> {
  const s3rec = path.join(dir, 'synthetic.txt');
  const csv = path.join(dir, 'synthetic.csv');
  const a = fs.createWriteStream(s3rec);
  const b = fs.createWriteStream(csv);
  let seed = 42;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const nItems = 200_000;
  let rows = 0;
  let user = 1;
  let chunkA = '';
  let chunkB = '';
  const flush = async () => {
    const okA = a.write(chunkA);
    const okB = b.write(chunkB);
    chunkA = chunkB = '';
    await Promise.all([okA ? null : new Promise<void>((r) => a.once('drain', () => r())), okB ? null : new Promise<void>((r) => b.once('drain', () => r()))]);
  };
  while (rows < target) {
    const len = Math.min(target - rows, 5 + Math.floor(rand() * 91));
    let line = String(user);
    for (let pos = 0; pos < len; pos++) {
      const item = 1 + Math.floor(nItems * rand() ** 2);
      line += ' ' + item;
      chunkB += `${user - 1},${item},${pos}\n`;
    }
    chunkA += line + '\n';
    rows += len;
    user++;
    if (chunkB.length > 1 << 20) await flush();
  }
  await flush();
  await Promise.all([new Promise<void>((r) => a.end(() => r())), new Promise<void>((r) => b.end(() => r()))]);
  return { s3rec, csv, rows };
}

/** Wall seconds of the whole sqlite3 process, and its CPU seconds (user+sys) when /usr/bin/time is there. */
function sqliteShell(csv: string, dbFile: string): { seconds: number; cpuSeconds: number | null } {
  fs.rmSync(dbFile, { force: true });
  const script = `CREATE TABLE t(user INTEGER, item INTEGER, pos INTEGER);\n.mode csv\n.import ${csv} t\nCREATE INDEX t_up ON t(user, pos);\n`;
  const timed = fs.existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', '/usr/bin/sqlite3', dbFile], { input: script, encoding: 'utf8' })
    : spawnSync('/usr/bin/sqlite3', [dbFile], { input: script, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  fs.rmSync(dbFile, { force: true });
  return { seconds, cpuSeconds: m ? Number(m[1]) + Number(m[2]) : null };
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const target = Number(process.env.BENCH_INTERACTIONS ?? 10_000_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-import-bench-'));
  try {
    console.log(
      `load average ${load()}; node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), sqlite3 shell ${spawnSync('/usr/bin/sqlite3', ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0]}`,
    );
    const beauty = dataSet('amazon_beauty_s3rec');
    if (beauty) {
      const r = await runChild(path.join(beauty, 'Beauty.txt'), 'beauty', path.join(tmp, 'ws-beauty'));
      const rate = (r.interactions as number) / (r.seconds as number);
      console.log(
        `Beauty: ${r.interactions} interactions in ${(r.seconds as number).toFixed(2)} s (CPU ${(r.cpuSeconds as number).toFixed(2)} s) = ${Math.round(rate).toLocaleString('en-US')} interactions/s, peak RSS ${(r.peakRssMiB as number).toFixed(0)} MiB`,
      );
    } else console.log('Beauty: skipped (shared data not found)');

    const t0 = performance.now();
    const g = await generate(tmp, target);
    console.log(
      `generated ${g.rows.toLocaleString('en-US')} interactions (${(fs.statSync(g.s3rec).size / 2 ** 20).toFixed(0)} MiB S3-Rec text, ${(fs.statSync(g.csv).size / 2 ** 20).toFixed(0)} MiB CSV) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
    const ratios: number[] = [];
    const oursRates: number[] = [];
    const shellRates: number[] = [];
    for (let k = 1; k <= repeat; k++) {
      const ws = path.join(tmp, `ws-synth-${k}`);
      const r = await runChild(g.s3rec, 'synthetic', ws);
      fs.rmSync(ws, { recursive: true, force: true });
      const ours = (r.interactions as number) / (r.seconds as number);
      console.log(
        `[${k}/${repeat}] importer, synthetic: ${(r.interactions as number).toLocaleString('en-US')} interactions, ${r.users} users, ${r.items} items in ${(r.seconds as number).toFixed(2)} s (CPU ${(r.cpuSeconds as number).toFixed(2)} s) = ${Math.round(ours).toLocaleString('en-US')} interactions/s, peak RSS ${(r.peakRssMiB as number).toFixed(0)} MiB (RSS samples MiB: ${(r.rssSamplesMiB as number[]).join(' ')})`,
      );
      const sh = sqliteShell(g.csv, path.join(tmp, 'shell.db'));
      const shell = g.rows / sh.seconds;
      console.log(
        `[${k}/${repeat}] sqlite3 shell .import + index: ${sh.seconds.toFixed(2)} s${sh.cpuSeconds === null ? '' : ` (CPU ${sh.cpuSeconds.toFixed(2)} s)`} = ${Math.round(shell).toLocaleString('en-US')} rows/s; ratio ${(ours / shell).toFixed(2)}${sh.cpuSeconds === null ? '' : `, CPU-time ratio ${(sh.cpuSeconds / (r.cpuSeconds as number)).toFixed(2)}`}`,
      );
      ratios.push(ours / shell);
      oursRates.push(ours);
      shellRates.push(shell);
    }
    console.log(
      `median of ${repeat}: importer ${Math.round(median(oursRates)).toLocaleString('en-US')} interactions/s, sqlite3 shell ${Math.round(median(shellRates)).toLocaleString('en-US')} rows/s`,
    );
    console.log(
      `ratio importer / sqlite3 shell = ${median(ratios).toFixed(2)} (median; pairs: ${ratios.map((x) => x.toFixed(2)).join(' ')}), load average ${load()}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.env.PULSE_BENCH_CHILD) await child();
else await main();
