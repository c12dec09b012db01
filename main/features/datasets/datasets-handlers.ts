import type { Handlers, Host } from '../../platform/host/host.js';
import { DatasetService, listUploads } from './dataset-service.js';
import { detect } from './detect.js';
import { assertNameFree } from './importer.js';

const service = (host: Host) => new DatasetService(host.workspace.db);

export const datasetsHandlers: Handlers<
  | 'datasets.list'
  | 'datasets.stats'
  | 'datasets.rename'
  | 'datasets.delete'
  | 'datasets.users'
  | 'datasets.history'
  | 'datasets.detect'
  | 'datasets.import'
  | 'datasets.uploads'
> = {
  'datasets.list': (_i, host) => ({ datasets: service(host).list() }),
  'datasets.stats': (i, host) => service(host).stats(i.name),
  'datasets.rename': (i, host) => {
    service(host).rename(i.name, i.newName);
    host.bus.emit({ topic: 'datasets' });
    return { ok: true as const };
  },
  'datasets.delete': (i, host) => {
    service(host).delete(i.name);
    host.bus.emit({ topic: 'datasets' });
    return { ok: true as const };
  },
  'datasets.users': (i, host) => service(host).users(i.name, i.offset, i.limit, i.search),
  'datasets.history': (i, host) => service(host).history(i.name, i.user),
  'datasets.detect': async (i) => {
    const { detected: _d, ...result } = await detect(i.paths, i.format, i.columns);
    return result;
  },
  'datasets.import': async (i, host) => {
    assertNameFree(host.workspace.db, i.name);
    // Fail fast on missing files or an unknown format, before a job exists.
    await detect(i.paths, i.format, i.columns, 1);
    const job = host.jobs.start('import', i, `Import ${i.name}`);
    return { jobId: job.id };
  },
  'datasets.uploads': (_i, host) => listUploads(host.workspace.dir),
};
