/**
 * Bounded load test of the local server door (docs/security.md quotes its output).
 *
 *   npm run bench:server-load -- [--clients 50] [--seconds 60] [--think-ms 1000] [--mix decide=70,runs=25,import=5]
 *                                [--json FILE] [--keep] [--profile DIR]
 *
 * Starts the real server (`pulse serve --port 0`, the built CLI: `npm run build` first) on 127.0.0.1 with a fresh
 * workspace, prepares it through the API (a 2,000-user slice of Amazon Beauty from ../shared/data, extractive
 * rationales for every user, two tiny SASRec runs), then drives N concurrent clients for a fixed time. Each client
 * does what the workbench page does, with its cookie and Origin:
 *   decide  review.decide with `next` (accept 70%, reject 15%, edit 15%; one round trip per decision, as the review view)
 *   runs    runs.list (the Training view's runs table)
 *   import  POST /api/upload of a small real file (a slice of Beauty, Sports, Office or MovieLens from ../shared/data)
 *           then datasets.import; the import job itself runs in a worker thread and is checked at the end
 * A client pauses a random 0..think-ms between operations (a person at the UI; --think-ms 0 hammers). Stops by
 * itself, stops the server, and prints p50/p95/max latency per operation, the error count, and the import jobs'
 * outcome. Loopback only; nothing leaves the machine.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { packageRoot } from '../main/platform/paths.js';
import { dataSet, missingReason } from '../test/support/data.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'think-ms': { type: 'string', default: '1000' },
    mix: { type: 'string', default: 'decide=70,runs=25,import=5' },
    json: { type: 'string' },
    keep: { type: 'boolean' },
    /** Writes a V8 CPU profile of the server to this folder (open it in Chrome DevTools). */
    profile: { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const THINK_MS = Number(values['think-ms']);
const MIX = Object.fromEntries(
  values
    .mix!.split(',')
    .map((kv) => kv.split('='))
    .map(([k, v]) => [k!, Number(v)]),
) as Record<string, number>;
for (const k of Object.keys(MIX)) if (!['decide', 'runs', 'import'].includes(k)) throw new Error(`--mix: unknown operation ${k} (decide, runs, import)`);

const ROOT = packageRoot();
const CLI = path.join(ROOT, 'build/main/doors/cli/pulse.js');
if (!fs.existsSync(CLI)) throw new Error('Build first: npm run build (the load test runs the built `pulse serve`).');
const SOURCES = {
  beauty: dataSet('amazon_beauty_s3rec'),
  sports: dataSet('amazon_sports_s3rec'),
  office: dataSet('amazon_office_lcrec'),
  ml: dataSet('ml-100k'),
};
for (const [k, v] of Object.entries(SOURCES)) if (!v) throw new Error(`The load test imports real files: ${missingReason(k === 'ml' ? 'ml-100k' : k)}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-bench-load-'));
const workspace = path.join(tmp, 'workspace');

/** Small real files for the import operation: the first lines of each shared data set, in its own format. */
function importFiles(): { name: string; body: Buffer; format: string }[] {
  const head = (file: string, lines: number) => fs.readFileSync(file, 'utf8').split('\n').slice(0, lines).join('\n') + '\n';
  const office = JSON.parse(fs.readFileSync(path.join(SOURCES.office!, 'Office.inter.json'), 'utf8')) as Record<string, number[]>;
  const officeSlice = Object.fromEntries(Object.entries(office).slice(0, 150));
  return [
    { name: 'Beauty.txt', body: Buffer.from(head(path.join(SOURCES.beauty!, 'Beauty.txt'), 200)), format: 's3rec' },
    { name: 'Sports_and_Outdoors.txt', body: Buffer.from(head(path.join(SOURCES.sports!, 'Sports_and_Outdoors.txt'), 200)), format: 's3rec' },
    { name: 'Office.inter.json', body: Buffer.from(JSON.stringify(officeSlice)), format: 'lcrec' },
    { name: 'ml-100k.inter', body: Buffer.from(head(path.join(SOURCES.ml!, 'ml-100k.inter'), 1500)), format: 'recbole' },
  ];
}

// ---------------------------------------------------------------------------------------------------------------

interface Server {
  pid: number;
  port: number;
  origin: string;
  cookie: string;
  stop: () => Promise<void>;
  stderr: () => string;
}

async function startServer(): Promise<Server> {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, CLI, 'serve', '--port', '0', '--workspace', workspace, '--json'], {
    cwd: ROOT,
    env: { ...process.env, PULSE_NO_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`pulse serve exited with ${code}\n${stderr}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  const u = new URL(url);
  return {
    pid: child.pid!,
    port: Number(u.port),
    origin: u.origin,
    cookie: `pulse_token=${u.searchParams.get('token')}`,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 8 });

/** One request as the page sends it (cookie + Origin); resolves with status and parsed JSON, never rejects. */
/** The API's envelope; results are read loosely here (the bench only needs a few fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results of many methods, read field by field
type Loose = any;
interface Answer {
  status: number;
  json: { ok: boolean; result?: Loose; error?: { message: string } } | null;
  error?: string;
}

interface JobView {
  state: string;
  title: string;
  error: { message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Requests retried once because a kept-alive socket was reset as it was reused: the server had closed it for
 * idleness (its keepAliveTimeout) while the request was on its way, so the server never read it. Node's docs
 * give this retry (`req.reusedSocket`), and browsers do the same; counted and printed, not hidden.
 */
let staleSocketRetries = 0;

function request(s: Server, p: string, body: Buffer | string, contentType: string, retried = false): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: s.port, method: 'POST', path: p, agent, headers: { cookie: s.cookie, origin: s.origin, 'content-type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            resolve({ status: res.statusCode ?? 0, json: null, error: `unparsable answer: ${(e as Error).message}` });
          }
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && e.code === 'ECONNRESET') {
        staleSocketRetries++;
        resolve(request(s, p, body, contentType, true));
      } else resolve({ status: 0, json: null, error: e.message });
    });
    req.end(body);
  });
}

async function call<T = Loose>(s: Server, method: string, input: unknown = {}): Promise<T> {
  const r = await request(s, `/api/call/${method}`, JSON.stringify(input), 'application/json');
  if (!r.json?.ok) throw new Error(`${method}: ${r.status} ${r.error ?? r.json?.error?.message}`);
  return r.json.result as T;
}

async function waitJob(s: Server, id: number): Promise<JobView> {
  for (;;) {
    const j = await call<JobView>(s, 'jobs.get', { id });
    if (j.state === 'succeeded') return j;
    if (['failed', 'cancelled', 'interrupted'].includes(j.state)) throw new Error(`job ${id} (${j.title}) ${j.state}: ${j.error?.message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function upload(s: Server, name: string, body: Buffer): Promise<string> {
  const r = await request(s, `/api/upload?name=${encodeURIComponent(name)}`, body, 'application/octet-stream');
  if (!r.json?.ok) throw new Error(`upload ${name}: ${r.status} ${r.error ?? r.json?.error?.message}`);
  return r.json.result.path as string;
}

// ---------------------------------------------------------------------------------------------------------------

/** CPU seconds the server process used so far (user + system, all its threads), from /proc; null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

const max = (xs: number[]) => (xs.length ? xs.reduce((a, b) => Math.max(a, b), -Infinity) : NaN);
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const t0 = Date.now();
  console.log(
    `server load: ${CLIENTS} clients, ${SECONDS} s, think 0..${THINK_MS} ms, mix ${values.mix}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
  const server = await startServer();
  try {
    // --- Setup through the API (not timed).
    const beautyLines = fs.readFileSync(path.join(SOURCES.beauty!, 'Beauty.txt'), 'utf8').split('\n').slice(0, 2000).join('\n') + '\n';
    const reviewFile = await upload(server, 'Beauty-review.txt', Buffer.from(beautyLines));
    await waitJob(server, (await call(server, 'datasets.import', { paths: [reviewFile], name: 'review', format: 's3rec' })).jobId);
    await waitJob(server, (await call(server, 'rationales.draft', { dataset: 'review' })).jobId);
    for (const seed of [1, 2]) {
      const { jobId } = await call(server, 'train.start', {
        dataset: 'review',
        epochs: 1,
        hidden: 16,
        blocks: 1,
        heads: 1,
        inner: 16,
        maxLen: 20,
        batch: 256,
        seed,
      });
      await waitJob(server, jobId);
    }
    const rationales = (await call(server, 'rationales.list', { dataset: 'review', limit: 1 })).total as number;
    console.log(`setup: ${rationales} rationales, ${(await call(server, 'runs.list')).runs.length} runs, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // --- Load.
    const files = importFiles();
    const lat: Record<string, number[]> = { 'review.decide': [], 'runs.list': [], upload: [], 'datasets.import': [], 'app.ping (probe)': [] };
    const errors: string[] = [];
    const importJobs: number[] = [];
    const weights = Object.entries(MIX);
    const total = weights.reduce((a, [, w]) => a + w, 0);
    const pick = (): string => {
      let r = Math.random() * total;
      for (const [k, w] of weights) if ((r -= w) < 0) return k;
      return weights[0]![0];
    };
    const deadline = Date.now() + SECONDS * 1000;
    const timed = async (op: string, p: string, body: Buffer | string, type: string) => {
      const start = performance.now();
      const r = await request(server, p, body, type);
      lat[op]!.push(performance.now() - start);
      if (!r.json?.ok) {
        errors.push(`${op}: ${r.status} ${r.error ?? r.json?.error?.message}`);
        return null;
      }
      return r.json.result;
    };

    async function client(i: number): Promise<void> {
      const annotator = `load-${i}`;
      let record: { id: number; currentVersionId: number } | null = null;
      let imports = 0;
      // Each client starts at its own place in the queue, so clients rarely decide on the same record at once.
      let after = Math.floor((i * rationales) / CLIENTS);
      while (Date.now() < deadline) {
        const op = pick();
        if (op === 'decide') {
          if (!record) {
            const n = await call(server, 'review.next', { dataset: 'review', annotator, queue: 'all', after }).catch((e) => (errors.push(String(e)), null));
            record = n?.record ?? null;
            if (!record) continue;
          }
          const roll = Math.random();
          const decision = roll < 0.7 ? 'accepted' : roll < 0.85 ? 'rejected' : 'edited';
          const input = {
            id: record.id,
            annotator,
            decision,
            versionId: record.currentVersionId,
            ...(decision === 'rejected' ? { reason: 'Generic / uninformative' } : {}),
            ...(decision === 'edited' ? { text: `Edited under load by ${annotator} at ${Date.now()}: the history points to this item.` } : {}),
            ms: 1200,
            next: { queue: 'all' as const, after: record.id },
          };
          const r = await timed('review.decide', '/api/call/review.decide', JSON.stringify(input), 'application/json');
          after = record.id;
          record = r?.next?.record ?? null;
        } else if (op === 'runs') {
          await timed('runs.list', '/api/call/runs.list', '{}', 'application/json');
        } else {
          const f = files[(i + imports) % files.length]!;
          const saved = await timed('upload', `/api/upload?name=${encodeURIComponent(`${i}-${imports}-${f.name}`)}`, f.body, 'application/octet-stream');
          if (saved) {
            const started = await timed(
              'datasets.import',
              '/api/call/datasets.import',
              JSON.stringify({ paths: [saved.path], name: `load ${i} ${imports}`, format: f.format }),
              'application/json',
            );
            if (started) importJobs.push(started.jobId as number);
          }
          imports++;
        }
        if (THINK_MS > 0) await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
      }
    }
    // A probe outside the clients: app.ping every 100 ms shows how long the server's event loop keeps a request waiting.
    async function probe(): Promise<void> {
      while (Date.now() < deadline) {
        await timed('app.ping (probe)', '/api/call/app.ping', '{}', 'application/json');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const loadStart = performance.now();
    const cpuStart = cpuSeconds(server.pid);
    await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i)), probe()]);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const cpuEnd = cpuSeconds(server.pid);
    const serverCpu = cpuStart !== null && cpuEnd !== null ? cpuEnd - cpuStart : null;

    // Import jobs started under load must all succeed (checked after the load, so the polling adds none).
    const jobOutcome: Record<string, number> = {};
    const importMs: number[] = [];
    for (const id of importJobs) {
      let j: JobView;
      for (;;) {
        j = await call<JobView>(server, 'jobs.get', { id });
        if (j.state !== 'running' && j.state !== 'queued') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      jobOutcome[j.state] = (jobOutcome[j.state] ?? 0) + 1;
      if (j.state !== 'succeeded') errors.push(`import job ${id}: ${j.state} ${j.error?.message}`);
      else importMs.push(Date.parse(j.updatedAt) - Date.parse(j.createdAt));
    }

    const rows = Object.entries(lat).map(([op, xs]) => ({
      op,
      n: xs.length,
      p50: +pct(xs, 50).toFixed(1),
      p95: +pct(xs, 95).toFixed(1),
      max: +max(xs).toFixed(1),
    }));
    rows.push({ op: 'import job (start to done)', n: importMs.length, p50: pct(importMs, 50), p95: pct(importMs, 95), max: max(importMs) });
    const requests = Object.values(lat).reduce((a, xs) => a + xs.length, 0);
    console.log(
      `\nload: ${CLIENTS} clients for ${loadSeconds.toFixed(1)} s, ${requests} requests (${(requests / loadSeconds).toFixed(1)}/s), errors ${errors.length}, requests retried on a kept-alive socket the server had just closed ${staleSocketRetries}`,
    );
    console.log('operation                    n      p50 ms   p95 ms   max ms');
    for (const r of rows)
      console.log(`${r.op.padEnd(27)} ${String(r.n).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.max).padStart(8)}`);
    console.log(`import jobs: ${JSON.stringify(jobOutcome)}`);
    if (serverCpu !== null)
      console.log(
        `server CPU during the load: ${serverCpu.toFixed(1)} s in ${loadSeconds.toFixed(1)} s (${((100 * serverCpu) / loadSeconds).toFixed(0)}% of one core, import workers included), ${((1000 * serverCpu) / requests).toFixed(2)} ms per request`,
      );
    const byKind = new Map<string, number>();
    for (const e of errors) byKind.set(e.slice(0, 160), (byKind.get(e.slice(0, 160)) ?? 0) + 1);
    for (const [e, n] of byKind) console.log(`  error x${n}: ${e}`);
    const decide = rows.find((r) => r.op === 'review.decide')!;
    const worstP95 = Math.max(...rows.filter((r) => !r.op.startsWith('import job') && r.n > 0).map((r) => r.p95));
    console.log(
      `\ntarget (zero errors, p95 under 200 ms for every operation): ${errors.length === 0 && worstP95 < 200 ? 'met' : 'NOT met'} (worst p95 ${worstP95} ms; review.decide p95 ${decide.p95} ms)`,
    );
    console.log(
      `load after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    if (values.json)
      fs.writeFileSync(
        values.json,
        JSON.stringify(
          {
            clients: CLIENTS,
            seconds: loadSeconds,
            thinkMs: THINK_MS,
            mix: MIX,
            requests,
            errors: errors.length,
            staleSocketRetries,
            rows,
            jobOutcome,
            serverCpu,
          },
          null,
          2,
        ),
      );
    process.exitCode = errors.length ? 1 : 0;
  } catch (err) {
    console.error(`load test failed: ${(err as Error).stack}\n--- server stderr ---\n${server.stderr().slice(-4000)}`);
    process.exitCode = 2;
  } finally {
    agent.destroy();
    await server.stop();
    if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`workspace kept: ${workspace}`);
  }
}

await main();
