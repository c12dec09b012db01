import { CONTRIBUTIONS } from '../features';
import type { HostEvent } from '../../common/contract';
import { DisposableStore, type IDisposable } from '../../common/event';
import { coreCommands } from './core-commands';
import type { Services } from './services';

/** Wires host events to services, registers commands, and loads the first state. Dispose to unwire. */
export function startWorkbench(s: Services): IDisposable {
  const store = new DisposableStore();
  store.add(s.commands.register(...coreCommands(s)));
  for (const f of CONTRIBUTIONS) {
    if (f.commands) store.add(s.commands.register(...f.commands(s)));
    if (f.activate) store.add(f.activate(s));
  }

  const report = (p: Promise<unknown>) => p.catch((err) => s.notifications.error(err));
  const resync = () => {
    report(s.api.call('app.info', {}).then((i) => s.info.set(i)));
    report(s.settings.load());
    report(s.jobs.refresh());
    report(s.logs.refresh());
    // Dataset listing errors show in the view itself (e.g. while the host lacks the service).
    s.datasets.refresh().catch(() => undefined);
  };

  store.add(
    s.api.onDidEmit((e: HostEvent) => {
      switch (e.topic) {
        case 'job':
          s.jobs.update(e.job);
          break;
        case 'log':
          s.logs.append(e.line);
          break;
        case 'datasets':
          s.datasets.refresh().catch(() => undefined);
          break;
        case 'workspace':
          s.editors.closeAll();
          resync();
          break;
        case 'job.event':
          break;
      }
    }),
  );
  let first = true;
  store.add(
    s.api.onDidChangeConnection((up) => {
      s.connected.set(up);
      // A reconnect may have missed events: fetch everything again.
      if (up && !first) resync();
      first = false;
    }),
  );
  // The panel starts closed (it covers the editors' lower part) and opens on the Jobs tab when a job starts.
  store.add(
    s.jobs.onDidStart(() => {
      if (!s.layout.state.get().panelVisible) s.layout.showPanel('jobs');
    }),
  );
  store.add(
    s.jobs.onDidFinish((job) => {
      if (job.state === 'failed' && job.error)
        s.notifications.notify({ severity: 'error', message: `${job.title} failed: ${job.error.message}`, detail: job.error });
      else if (job.state === 'succeeded') s.notifications.info(`${job.title} finished.`);
      else if (job.state === 'cancelled') s.notifications.info(`${job.title} was cancelled.`);
    }),
  );
  resync();
  return store;
}
