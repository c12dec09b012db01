import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { api, isMethod, type Method, type Output, type ParsedInput } from '../../../common/contract/index.js';
import { EventBus } from '../event-bus.js';
import { fromSystemError, UserError } from '../../base/errors.js';
import { packageRoot } from '../paths.js';
import type { JobRegistry } from '../jobs/job-kinds.js';
import { JobService } from '../jobs/job-service.js';
import { Workspace } from '../workspace/workspace.js';

export type Door = 'electron' | 'server' | 'cli';

export type Handler<M extends Method> = (input: ParsedInput<M>, host: Host) => Promise<Output<M>> | Output<M>;
export type Handlers<K extends Method = Method> = { [M in K]: Handler<M> };

/** What one feature brings to the host (main/features/<name>/contribution.ts); its job kinds are in its jobs.ts. */
export interface FeatureContribution {
  handlers: Partial<Handlers>;
  /** Runs after a workspace opens (at start and after a switch), once the host is ready to call. */
  onDidOpenWorkspace?(host: Host): void;
}

/**
 * Everything the features contribute, assembled by the composition root (main/features/index.ts) and handed to
 * the host: the platform itself imports no feature. `handlers` covers every contract method (a missing one is a
 * compile error there), `jobs.kinds` every job kind.
 */
export interface Contributions {
  handlers: Handlers;
  jobs: JobRegistry;
  onDidOpenWorkspace: readonly ((host: Host) => void)[];
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The first few problems, each with its path; a hostile payload can have millions and must not echo them all. */
function describeIssues(error: z.ZodError, max = 8): string {
  const shown = new z.ZodError(error.issues.slice(0, max).map((i) => ({ ...i, message: clip(i.message, 300), path: i.path.slice(0, 8) })));
  const more = error.issues.length - max;
  return clip(z.prettifyError(shown), 4000) + (more > 0 ? `\n(and ${more} more)` : '');
}

export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The host: one workspace, its jobs and the event bus, and `call`, the single entry every door uses.
 * `call` validates the payload against the contract before any service sees it.
 */
export class Host {
  readonly bus = new EventBus();
  private ws: Workspace;
  private jobService: JobService;

  private constructor(
    workspace: Workspace,
    readonly door: Door,
    private readonly contributions: Contributions,
  ) {
    this.ws = workspace;
    this.jobService = new JobService(workspace, this.bus, contributions.jobs);
  }

  static open(workspaceDir: string, door: Door, contributions: Contributions): Host {
    const host = new Host(Workspace.open(workspaceDir), door, contributions);
    host.afterOpen();
    return host;
  }

  get workspace(): Workspace {
    return this.ws;
  }
  get jobs(): JobService {
    return this.jobService;
  }

  private afterOpen(): void {
    const lost = this.jobService.recoverInterrupted();
    for (const j of lost)
      this.bus.log('warn', 'jobs', `Job ${j.id} (${j.title}) was interrupted; resume it from the Jobs panel or with \`pulse jobs resume ${j.id}\`.`);
    for (const hook of this.contributions.onDidOpenWorkspace) hook(this);
  }

  async switchWorkspace(dir: string): Promise<void> {
    const next = Workspace.open(dir);
    await this.jobService.shutdown();
    this.ws.close();
    this.ws = next;
    this.jobService = new JobService(next, this.bus, this.contributions.jobs);
    this.afterOpen();
    this.bus.emit({ topic: 'workspace', workspace: next.dir });
  }

  /** Validates `input` for `method` and runs its handler. Throws UserError for a bad method or payload. */
  async call(method: string, input: unknown): Promise<unknown> {
    if (!isMethod(method))
      throw new UserError(`Unknown method "${clip(method, 100)}".`, { code: 'unknown_method', hint: 'The methods are listed in common/contract.' });
    const parsed = api[method].input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) throw new UserError(`Invalid input for ${method}: ${describeIssues(parsed.error)}`, { code: 'invalid_input' });
    const handler = this.contributions.handlers[method] as (i: unknown, h: Host) => unknown;
    try {
      return await handler(parsed.data, this);
    } catch (err) {
      // A missing or unreadable path the caller named is their mistake to fix, not a host failure.
      throw fromSystemError(err);
    }
  }

  /** Typed call for code inside the host (CLI). */
  async invoke<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
    return (await this.call(method, input)) as Output<M>;
  }

  async close(): Promise<void> {
    await this.jobService.shutdown();
    this.ws.close();
  }
}
