import { z } from 'zod';
import { Empty, Ok } from './common.js';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  door: z.enum(['electron', 'server', 'cli']),
  workspace: z.string(),
  platform: z.string(),
});

export const Theme = z.enum(['dark', 'light', 'high-contrast']);

export const Settings = z.object({
  theme: Theme,
  threads: z.number().int().min(1).max(256),
  annotator: z.string().max(100),
});
export type Settings = z.infer<typeof Settings>;

export const LogLine = z.object({ time: z.string(), level: z.enum(['info', 'warn', 'error']), source: z.string(), message: z.string() });
export type LogLine = z.infer<typeof LogLine>;

/** Which training kernels run (main/base/engine/kernels.ts), and why. */
export const KernelsReport = z.object({
  variant: z.enum(['native+openblas', 'native+builtin', 'typescript']),
  reason: z.string(),
  addon: z.string().optional(),
  blas: z.string().optional(),
  isa: z.string().optional(),
  threads: z.number().int().optional(),
});
export type KernelsReport = z.infer<typeof KernelsReport>;

export const Doctor = z.object({
  kernels: KernelsReport,
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int(),
});
export type Doctor = z.infer<typeof Doctor>;

export const appApi = {
  'app.info': { input: Empty, output: AppInfo },
  'settings.get': { input: Empty, output: Settings },
  'settings.update': { input: Settings.partial().strict(), output: Settings },
  'logs.tail': { input: z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict(), output: z.object({ lines: z.array(LogLine) }) },
  'workspace.switch': { input: z.object({ dir: z.string().min(1).max(4096) }).strict(), output: z.object({ workspace: z.string() }) },
  'workspace.backup': { input: z.object({ file: z.string().min(1).max(4096) }).strict(), output: z.object({ file: z.string(), bytes: z.number() }) },
  'app.ping': { input: Empty, output: Ok },
  /** What this installation runs on: the training kernels in use and why (the status bar and `pulse doctor`). */
  'app.doctor': { input: Empty, output: Doctor },
};
