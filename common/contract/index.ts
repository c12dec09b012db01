/**
 * The contract between host and window: every method with its input and output schema, and every event.
 * Both sides import it; the host validates every input at its doors. Depends on zod only.
 */
import { z } from 'zod';
import { appApi } from './app.js';
import { datasetsApi } from './datasets.js';
import { jobsApi } from './jobs.js';
import { modelsApi } from './models.js';
import { rationalesApi } from './rationales.js';
import { reasoningApi } from './reasoning.js';
import { reviewApi } from './review.js';
import { spaceApi } from './space.js';
import { trainingApi } from './training.js';
import { Job, type JobProgress } from './jobs.js';
import { LogLine } from './app.js';

export * from './common.js';
export * from './app.js';
export * from './datasets.js';
export * from './jobs.js';
export * from './models.js';
export * from './rationales.js';
export * from './reasoning.js';
export * from './review.js';
export * from './space.js';
export * from './training.js';

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
