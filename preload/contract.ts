/**
 * The contract between host and window: every method with its input and output schema, and every event.
 * Both sides import it; the host validates every input at its doors. Depends on zod only.
 */
import { z } from 'zod';
import { appApi } from './contract/app.js';
import { datasetsApi } from './contract/datasets.js';
import { jobsApi } from './contract/jobs.js';
import { modelsApi } from './contract/models.js';
import { rationalesApi } from './contract/rationales.js';
import { reasoningApi } from './contract/reasoning.js';
import { reviewApi } from './contract/review.js';
import { spaceApi } from './contract/space.js';
import { trainingApi } from './contract/training.js';
import { Job, type JobProgress } from './contract/jobs.js';
import { LogLine } from './contract/app.js';

export * from './contract/common.js';
export * from './contract/app.js';
export * from './contract/datasets.js';
export * from './contract/jobs.js';
export * from './contract/models.js';
export * from './contract/rationales.js';
export * from './contract/reasoning.js';
export * from './contract/review.js';
export * from './contract/space.js';
export * from './contract/training.js';

export const api = {
  ...appApi,
  ...jobsApi,
  ...datasetsApi,
  ...modelsApi,
  ...rationalesApi,
  ...reasoningApi,
  ...reviewApi,
  ...spaceApi,
  ...trainingApi,
};

export type Api = typeof api;
export type Method = keyof Api;
export type Input<M extends Method> = z.input<Api[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>;
export type Output<M extends Method> = z.output<Api[M]['output']>;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** Events pushed from host to window (WebSocket in browser mode, IPC in Electron). */
export const HostEvent = z.discriminatedUnion('topic', [
  z.object({ topic: z.literal('job'), job: Job }),
  z.object({ topic: z.literal('log'), line: LogLine }),
  z.object({ topic: z.literal('job.event'), jobId: z.number(), name: z.string(), data: z.unknown() }),
  z.object({ topic: z.literal('workspace'), workspace: z.string() }),
  z.object({ topic: z.literal('datasets') }),
]);
export type HostEvent = z.infer<typeof HostEvent>;
export type { JobProgress };

/** What the renderer sees: one call function for every method, and one event subscription (dispose to stop). */
export interface WorkbenchApi {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  onDidEmit(listener: (event: HostEvent) => void): { dispose(): void };
}
