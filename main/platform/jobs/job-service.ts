import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { ErrorPayload, Job, JobKind, JobProgress, JobState } from '../../../common/contract/index.js';
import type { EventBus } from '../event-bus.js';
import { UserError } from '../../base/errors.js';
import { packageRoot } from '../paths.js';
import type { Workspace } from '../workspace/workspace.js';
import { isJobKind, type JobRegistry } from './job-kinds.js';
import type { WorkerMessage, WorkerStart } from './worker-protocol.js';

interface JobRow {
  id: number;
  kind: string;
  title: string;
  state: JobState;
  params: string;
  progress: string;
  result: string | null;
  error: string | null;
  resumed_from: number | null;
  pid: number | null;
  created_at: string;
  updated_at: string;
}

interface Running {
  kind: JobKind;
  worker: Worker;
  cancelFlag: Int32Array;
  done: Promise<Job>;
}

/** A job waiting for its lane (state 'queued' in the table); it starts when a job of its kind ends. */
interface Queued {
  jobId: number;
  kind: JobKind;
  params: unknown;
  title: string;
  resumedFrom: Job | null;
  secrets: Record<string, string>;
  done: Promise<Job>;
  settle: (job: Job) => void;
}

const PROGRESS_WRITE_MS = 250;

/** The compiled worker entry: when the host runs from TypeScript sources (tests), the entry is the build's copy. */
function compiledEntry(entry: URL): URL {
  const file = fileURLToPath(entry);
  if (fs.existsSync(file)) return entry;
  const built = path.join(packageRoot(), 'build', path.relative(packageRoot(), file));
  if (!fs.existsSync(built)) throw new Error('Jobs run compiled code: run `npm run build` first.');
  return pathToFileURL(built);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Long work as jobs: a row in the workspace, a worker thread that does the work, progress as events,
 * cooperative cancel, and after a crash a state of "interrupted" with a way to resume.
 */
export class JobService {
  private running = new Map<number, Running>();
  private queued: Queued[] = [];
  /** Progress writes go through a connection that gives up at once when the database is locked. */
  private readonly progressDb: Database.Database;

  constructor(
    private readonly workspace: Workspace,
    private readonly bus: EventBus,
    private readonly registry: JobRegistry,
  ) {
    this.progressDb = new Database(workspace.databaseFile, { timeout: 0 });
  }

  /** Marks jobs whose process is gone as interrupted (a crash or kill); returns them. */
  recoverInterrupted(): Job[] {
    const rows = this.workspace.db.prepare("SELECT * FROM jobs WHERE state IN ('running','queued')").all() as JobRow[];
    const lost = rows.filter(
      (r) => !this.running.has(r.id) && !this.queued.some((q) => q.jobId === r.id) && (r.pid === null || r.pid === process.pid || !pidAlive(r.pid)),
    );
    const mark = this.workspace.db.prepare("UPDATE jobs SET state = 'interrupted', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
    for (const r of lost) mark.run(r.id);
    return lost.map((r) => this.get(r.id));
  }

  list(): Job[] {
    const rows = this.workspace.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT 500').all() as JobRow[];
    return rows.map(toJob);
  }

  get(id: number): Job {
    const row = this.workspace.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new UserError(`There is no job ${id} in this workspace.`, { hint: 'List jobs with `pulse jobs`.', code: 'not_found' });
    return toJob(row);
  }

  /** Starts a job, or queues it (state 'queued') while its lane is full (the kind's maxRunning). */
  start(kind: JobKind, params: unknown, title: string, resumedFrom: Job | null = null, secrets: Record<string, string> = {}): Job {
    if (!isJobKind(this.registry.kinds, kind)) throw new Error(`Unknown job kind ${kind}`);
    const waits = this.laneFull(kind);
    const info = this.workspace.db
      .prepare('INSERT INTO jobs(kind, title, state, params, resumed_from, pid) VALUES (?, ?, ?, ?, ?, ?)')
      .run(kind, title, waits ? 'queued' : 'running', JSON.stringify(params), resumedFrom?.id ?? null, process.pid);
    const jobId = Number(info.lastInsertRowid);
    if (!waits) return this.launch(jobId, kind, params, title, resumedFrom, secrets);
    let settle!: (job: Job) => void;
    const done = new Promise<Job>((resolve) => (settle = resolve));
    this.queued.push({ jobId, kind, params, title, resumedFrom, secrets, done, settle });
    const job = this.get(jobId);
    this.bus.emit({ topic: 'job', job });
    this.bus.log('info', `job ${jobId}`, `${title}: queued behind other ${kind} jobs`);
    return job;
  }

  private laneFull(kind: JobKind): boolean {
    const limit = this.registry.kinds[kind].maxRunning;
    if (limit === undefined) return false;
    let n = 0;
    for (const r of this.running.values()) if (r.kind === kind) n++;
    return n >= limit;
  }

  /** Starts the queued jobs of `kind` that its lane has room for, oldest first. */
  private startQueued(kind: JobKind): void {
    for (;;) {
      const i = this.queued.findIndex((q) => q.kind === kind);
      if (i < 0 || this.laneFull(kind)) return;
      const q = this.queued.splice(i, 1)[0]!;
      this.workspace.db.prepare("UPDATE jobs SET state = 'running', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(q.jobId);
      this.launch(q.jobId, q.kind, q.params, q.title, q.resumedFrom, q.secrets);
      void this.running.get(q.jobId)!.done.then(q.settle);
    }
  }

  /** Runs job `jobId` (its row exists, state 'running') in a worker thread. */
  private launch(jobId: number, kind: JobKind, params: unknown, title: string, resumedFrom: Job | null, secrets: Record<string, string>): Job {
    const cancelBuffer = new SharedArrayBuffer(4);
    const start: WorkerStart = {
      jobId,
      kind,
      params,
      workspaceDir: this.workspace.dir,
      resumedFrom: resumedFrom ? { jobId: resumedFrom.id, progress: resumedFrom.progress } : null,
      cancelFlag: cancelBuffer,
      secrets,
    };
    const worker = new Worker(compiledEntry(this.registry.workerEntry), { workerData: start });
    let progress: JobProgress = {};
    let lastWrite = 0;
    const writeProgress = this.progressDb.prepare("UPDATE jobs SET progress = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
    const done = new Promise<Job>((resolve) => {
      let settled = false;
      const finish = (state: JobState, result: unknown, error: ErrorPayload | null) => {
        if (settled) return;
        settled = true;
        this.workspace.db
          .prepare("UPDATE jobs SET state = ?, progress = ?, result = ?, error = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")
          .run(state, JSON.stringify(progress), result === undefined ? null : JSON.stringify(result), error ? JSON.stringify(error) : null, jobId);
        const job = this.get(jobId);
        this.bus.emit({ topic: 'job', job });
        this.bus.log(state === 'failed' ? 'error' : 'info', `job ${jobId}`, `${title}: ${state}${error ? ` (${error.message})` : ''}`);
        // The worker released its native resources before it reported; end the thread rather than wait for
        // handles a library may keep open, and only then call the job done (so a CLI can exit safely).
        void worker.terminate().finally(() => {
          this.running.delete(jobId);
          resolve(job);
          try {
            this.startQueued(kind);
          } catch (err) {
            this.bus.log('error', 'jobs', `Could not start the next queued ${kind} job: ${(err as Error).message}`);
          }
        });
      };
      worker.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'progress': {
            progress = m.progress;
            const now = Date.now();
            if (now - lastWrite >= PROGRESS_WRITE_MS) {
              lastWrite = now;
              // A job holding the write lock (an import's commit) must never stall the host: skip this write.
              try {
                writeProgress.run(JSON.stringify(progress), jobId);
              } catch (e) {
                if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
              }
              this.bus.emit({ topic: 'job', job: { ...this.get(jobId), progress } });
            }
            break;
          }
          case 'event':
            this.bus.emit({ topic: 'job.event', jobId, name: m.name, data: m.data });
            break;
          case 'log':
            this.bus.log(m.level, `job ${jobId}`, m.message);
            break;
          case 'done':
            finish('succeeded', m.result, null);
            break;
          case 'error':
            finish(m.cancelled ? 'cancelled' : 'failed', null, m.cancelled ? null : m.error);
            break;
        }
      });
      worker.on('error', (err) => finish('failed', null, { message: err.message, file: null, line: null, hint: null, code: 'worker_crashed' }));
      worker.on('exit', (code) => {
        if (code !== 0)
          finish('failed', null, { message: `The job's worker stopped (exit ${code}).`, file: null, line: null, hint: 'Resume the job.', code: 'worker_exit' });
        else finish('failed', null, { message: 'The job ended without a result.', file: null, line: null, hint: null, code: 'no_result' });
      });
    });
    this.running.set(jobId, { kind, worker, cancelFlag: new Int32Array(cancelBuffer), done });
    const job = this.get(jobId);
    this.bus.emit({ topic: 'job', job });
    this.bus.log('info', `job ${jobId}`, `${title}: started`);
    return job;
  }

  /** Resolves when the job ends, with its final row. */
  async wait(id: number): Promise<Job> {
    const r = this.running.get(id) ?? this.queued.find((q) => q.jobId === id);
    return r ? r.done : this.get(id);
  }

  cancel(id: number): void {
    const q = this.queued.findIndex((x) => x.jobId === id);
    if (q >= 0) return this.endQueued(this.queued.splice(q, 1)[0]!, 'cancelled');
    const r = this.running.get(id);
    if (!r) {
      const job = this.get(id);
      if (job.state === 'running' || job.state === 'queued') {
        throw new UserError(`Job ${id} runs in another process; cancel it there.`, { code: 'not_here' });
      }
      return; // already finished: cancelling is a no-op
    }
    Atomics.store(r.cancelFlag, 0, 1);
  }

  /** What a job's worker may need from the host's secret store (the registry's source), for start or resume. */
  secretsForJobs(): Promise<Record<string, string>> {
    return this.registry.secrets();
  }

  resume(id: number, secrets: Record<string, string> = {}): Job {
    const job = this.get(id);
    if (!['interrupted', 'failed', 'cancelled'].includes(job.state)) {
      throw new UserError(`Job ${id} is ${job.state}; only interrupted, failed or cancelled jobs can be resumed.`, { code: 'bad_state' });
    }
    if (!isJobKind(this.registry.kinds, job.kind)) throw new UserError(`Job ${id} is of a kind (${job.kind}) this version cannot run.`);
    return this.start(job.kind, job.params, job.title, job, secrets);
  }

  private endQueued(q: Queued, state: 'cancelled' | 'interrupted'): void {
    this.workspace.db.prepare("UPDATE jobs SET state = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(state, q.jobId);
    const job = this.get(q.jobId);
    this.bus.emit({ topic: 'job', job });
    this.bus.log('info', `job ${q.jobId}`, `${q.title}: ${state} before it started`);
    q.settle(job);
  }

  /** Asks every running job to stop and waits for them (app shutdown). */
  async shutdown(): Promise<void> {
    // Queued jobs never started: they can be resumed like jobs a crash interrupted.
    for (const q of this.queued.splice(0)) this.endQueued(q, 'interrupted');
    const all = [...this.running.values()];
    for (const r of all) Atomics.store(r.cancelFlag, 0, 1);
    await Promise.race([Promise.all(all.map((r) => r.done)), new Promise((res) => setTimeout(res, 5000))]);
    for (const r of this.running.values()) await r.worker.terminate();
    this.progressDb.close();
  }
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    state: r.state,
    params: JSON.parse(r.params),
    progress: JSON.parse(r.progress),
    result: r.result ? JSON.parse(r.result) : null,
    error: r.error ? JSON.parse(r.error) : null,
    resumedFrom: r.resumed_from,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
