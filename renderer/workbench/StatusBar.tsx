import { useEffect, useState } from 'react';
import type { KernelsReport } from '../../common/contract';
import { ACTIVE_STATES, jobFraction } from '../services/jobs';
import { THEME_LABELS } from '../services/settings';
import { useStore } from '../state/store';
import { BellIcon, ChartIcon, FolderIcon, StopIcon, SyncIcon, ThemeIcon } from '../ui/icons';
import { useServices } from './services';

export function StatusBar() {
  const s = useServices();
  const info = useStore(s.info);
  const connected = useStore(s.connected);
  const jobs = useStore(s.jobs.jobs);
  const settings = useStore(s.settings.settings);
  const notes = useStore(s.notifications.items);
  useStore(s.commands.commands);
  const running = [...jobs.values()].filter((j) => ACTIVE_STATES.has(j.state)).sort((a, b) => a.id - b.id);
  const job = running[0];
  const frac = job ? jobFraction(job) : null;
  const themeKb = s.commands.keybindingFor('workbench.action.toggleTheme');
  const kernels = useKernels();
  return (
    <footer className="statusbar" aria-label="Status bar">
      <div className="status-left">
        <span className="status-item" title={info ? `Workspace: ${info.workspace}` : 'Workspace'} data-testid="status-workspace">
          <FolderIcon /> {info ? baseName(info.workspace) : '…'}
        </span>
        {!connected && (
          <span className="status-item status-warning" title="The event stream to the host is down; reconnecting.">
            <SyncIcon /> Reconnecting…
          </span>
        )}
        {job && (
          <span className="status-item status-job" data-testid="status-job" title={job.progress.message ?? job.title}>
            <span className="spinner" aria-hidden />
            <button className="status-link" onClick={() => s.layout.showPanel('jobs')}>
              {job.title}
              {frac !== null ? ` ${Math.round(frac * 100)}%` : ''}
              {running.length > 1 ? ` (+${running.length - 1})` : ''}
            </button>
            <span className="status-progress" aria-hidden>
              <span style={{ width: `${Math.round((frac ?? 0) * 100)}%` }} />
            </span>
            <button
              className="status-button"
              title="Cancel job"
              aria-label={`Cancel job ${job.id}`}
              onClick={() => s.jobs.cancel(job.id).catch((e) => s.notifications.error(e))}
            >
              <StopIcon />
            </button>
          </span>
        )}
      </div>
      <div className="status-right">
        {kernels && (
          <span
            className={`status-item${kernels.variant === 'typescript' ? ' status-warning' : ''}`}
            data-testid="status-kernels"
            title={`Training kernels: ${kernels.variant}: ${kernels.reason}${kernels.blas ? `\n${kernels.blas}` : ''}${kernels.threads ? `\n${kernels.threads} threads` : ''}`}
          >
            <ChartIcon /> {kernels.variant}
          </span>
        )}
        <button className="status-item status-button" onClick={() => void s.commands.run('workbench.action.showCommands')} title="Show All Commands">
          {s.commands.keybindingFor('workbench.action.showCommands')?.split('|')[0]?.trim()}
        </button>
        <button
          className="status-item status-button"
          data-testid="status-theme"
          onClick={() => void s.commands.run('workbench.action.toggleTheme')}
          title={`Toggle Theme${themeKb ? ` (${themeKb})` : ''}`}
        >
          <ThemeIcon /> {THEME_LABELS[settings?.theme ?? 'dark']}
        </button>
        <span className="status-item" title={`${notes.length} notifications`}>
          <BellIcon />
          {notes.length > 0 ? ` ${notes.length}` : ''}
        </span>
      </div>
    </footer>
  );
}

/** The training kernels in use, asked once per window (they cannot change while the host runs). */
function useKernels(): KernelsReport | null {
  const s = useServices();
  const [k, setK] = useState<KernelsReport | null>(null);
  useEffect(() => {
    let live = true;
    s.api
      .call('app.doctor', {})
      .then((d) => live && setK(d.kernels))
      .catch(() => undefined); // the status bar simply shows no kernels item
    return () => {
      live = false;
    };
  }, [s]);
  return k;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}
