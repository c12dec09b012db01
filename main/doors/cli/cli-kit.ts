import type { ParseArgsConfig } from 'node:util';
import { api, type Job, type JobKind, type Method, type ParsedInput } from '../../../common/contract/index.js';
import { fromErrorPayload, UserError } from '../../base/errors.js';
import type { Host } from '../../platform/host/host.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliContext {
  json: boolean;
  workspaceDir: string;
  /** Opens the workspace's host on first use (commands like --help need none); serve opens it as 'server'. */
  host(door?: 'cli' | 'server'): Host;
  /** A progress line on stderr (never stdout, which holds the one JSON object with --json). */
  progress(line: string): void;
}

export interface Command {
  /** One or two words: "import", "datasets rename". */
  name: string;
  summary: string;
  usage: string;
  options?: OptionSpec;
  /** Returns the object printed (as JSON with --json). */
  run(ctx: CliContext, values: Values, positionals: string[]): Promise<unknown>;
}

/** Validates a command's input against the contract first, so a bad flag is reported with the command's usage. */
export function validInput<M extends Method>(method: M, input: unknown, usage: string): ParsedInput<M> {
  const r = api[method].input.safeParse(input);
  if (!r.success) {
    throw new UserError(`Invalid options: ${r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`, {
      hint: `Usage: ${usage}`,
    });
  }
  return r.data as ParsedInput<M>;
}

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function int(values: Values, key: string, fallback?: number): number | undefined {
  const v = str(values, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UserError(`--${key} must be a whole number, not "${v}".`, { hint: `Example: --${key} 5` });
  return n;
}

export function num(values: Values, key: string, fallback?: number): number | undefined {
  const v = str(values, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${key} must be a number, not "${v}".`);
  return n;
}

export function required(values: Values, key: string, usage: string): string {
  const v = str(values, key);
  if (!v) throw new UserError(`--${key} is required.`, { hint: `Usage: ${usage}` });
  return v;
}

function formatProgress(job: Job): string {
  const p = job.progress;
  const parts = [`[job ${job.id}] ${job.title}`];
  if (p.done !== undefined && p.total) parts.push(`${Math.floor((100 * p.done) / p.total)}% (${p.done}/${p.total}${p.unit ? ` ${p.unit}` : ''})`);
  else if (p.done !== undefined) parts.push(`${p.done}${p.unit ? ` ${p.unit}` : ''}`);
  if (p.rate !== undefined) parts.push(`${p.rate.toFixed(1)}/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${Math.round(p.etaSeconds)}s`);
  if (p.message) parts.push(p.message);
  return parts.join(' ');
}

/**
 * Runs a job in the foreground: progress on stderr, Ctrl+C cancels it (a second Ctrl+C leaves it as
 * interrupted), and resolves with its result or throws its error.
 */
export async function runJobInForeground<R>(ctx: CliContext, kind: JobKind, params: unknown, title: string): Promise<R> {
  return followJob<R>(ctx, ctx.host().jobs.start(kind, params, title).id);
}

/** Follows a job started in this process until it ends (see runJobInForeground). */
export async function followJob<R>(ctx: CliContext, jobId: number): Promise<R> {
  const host = ctx.host();
  const job = host.jobs.get(jobId);
  let lastLine = 0;
  const subscription = host.bus.onDidEmit((e) => {
    if (e.topic === 'job' && e.job.id === job.id && e.job.state === 'running') {
      const now = Date.now();
      if (now - lastLine > 1000) {
        lastLine = now;
        ctx.progress(formatProgress(e.job));
      }
    } else if (e.topic === 'log' && e.line.source === `job ${job.id}` && e.line.level !== 'info') {
      ctx.progress(`${e.line.level}: ${e.line.message}`);
    }
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      ctx.progress(`Cancelling job ${job.id}... (Ctrl+C again to stop at once)`);
      host.jobs.cancel(job.id);
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  try {
    const end = await host.jobs.wait(job.id);
    if (end.state === 'succeeded') return end.result as R;
    if (end.state === 'cancelled')
      throw new UserError(`Job ${job.id} was cancelled.`, { hint: `Resume it with \`pulse jobs resume ${job.id}\`.`, code: 'cancelled' });
    throw end.error ? fromErrorPayload(end.error) : new UserError(`Job ${job.id} ${end.state}.`);
  } finally {
    process.off('SIGINT', onSigint);
    subscription.dispose();
  }
}
