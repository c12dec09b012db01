/**
 * The compiled host as a separate process (`pulse serve --port 0`), for tests that kill it: `call` speaks the
 * local server's API with the start token, `kill` sends SIGKILL and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { Job } from '../../common/contract/jobs.js';
import { PULSE_BIN } from './cli.js';

export interface ServedHost {
  child: ChildProcess;
  call<T>(method: string, input: unknown): Promise<T>;
  /** SIGKILL, then resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a normal shutdown), then resolves once the process is gone. */
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();

/** SIGKILLs every host this module started that is still running (for afterAll: a failed test leaves none behind). */
export function killStartedHosts(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  started.clear();
}

export async function serveWorkspace(workspace: string, env: Record<string, string> = {}): Promise<ServedHost> {
  const child = spawn(process.execPath, [PULSE_BIN, 'serve', '--port', '0', '--workspace', workspace, '--json'], {
    env: { ...process.env, PULSE_NO_DEMO: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`pulse serve exited with ${code}: ${stderr}`)));
  });
  const url = new URL((JSON.parse(line) as { url: string }).url);
  const token = url.searchParams.get('token')!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async call<T>(method: string, input: unknown): Promise<T> {
      const r = await fetch(new URL(`/api/call/${method}`, url), {
        method: 'POST',
        body: JSON.stringify(input),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      const env = (await r.json()) as { ok: boolean; result: T; error: unknown };
      if (!env.ok) throw new Error(`${method}: ${JSON.stringify(env.error)}`);
      return env.result;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls until `cond` holds (or throws after `ms`, saying what it waited for). */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits for a job to end and returns its final row. */
export async function jobResult(host: ServedHost, id: number, ms = 300_000): Promise<Job> {
  let job: Job | null = null;
  await waitUntil(
    async () => {
      job = await host.call<Job>('jobs.get', { id });
      return !['running', 'queued'].includes(job.state);
    },
    `job ${id}`,
    ms,
  );
  return job!;
}
