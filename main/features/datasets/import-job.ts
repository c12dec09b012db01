/** The `import` job: runs the importer inside the worker thread on the worker's own connection. */
import type { ImportOptions } from '../../../common/contract/datasets.js';
import type { JobHandler } from '../../platform/jobs/job-context.js';
import { importDataset } from './importer.js';

export interface ImportJobResult {
  dataset: string;
  users: number;
  items: number;
  interactions: number;
  format: string;
  seconds: number;
}

export const run: JobHandler<ImportOptions, ImportJobResult> = async (ctx) => {
  const p = ctx.params;
  const r = await importDataset(
    ctx.workspace.db,
    { paths: p.paths, name: p.name, format: p.format, columns: p.columns, kcore: p.kcore, minHistory: p.minHistory },
    { progress: (x) => ctx.progress(x), throwIfCancelled: () => ctx.throwIfCancelled(), log: (m) => ctx.log(m) },
  );
  return { dataset: r.dataset, users: r.users, items: r.items, interactions: r.interactions, format: r.format, seconds: Math.round(r.seconds * 1000) / 1000 };
};
