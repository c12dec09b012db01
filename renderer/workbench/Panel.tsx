import { useEffect, useRef } from 'react';
import type { Job } from '../../common/contract';
import { KeybindingLabel } from '../commands/keybinding-label';
import { ACTIVE_STATES, RESUMABLE_STATES, jobFraction, jobProgressText } from '../services/jobs';
import type { PanelTab } from '../services/layout';
import { useStore } from '../state/store';
import { CloseIcon, PlayIcon, StopIcon, TrashIcon } from '../ui/icons';
import { ProgressBar } from '../ui/ProgressBar';
import { useServices } from './services';

const TABS: { id: PanelTab; title: string; command: string }[] = [
  { id: 'jobs', title: 'Jobs', command: 'workbench.panel.jobs' },
  { id: 'output', title: 'Output', command: 'workbench.panel.output' },
];

export function Panel() {
  const s = useServices();
  const layout = useStore(s.layout.state);
  const jobs = useStore(s.jobs.jobs);
  const running = [...jobs.values()].filter((j) => ACTIVE_STATES.has(j.state)).length;
  useStore(s.commands.commands);
  return (
    <section className="panel" aria-label="Panel">
      <div className="panel-header">
        <div role="tablist" className="panel-tabs">
          {TABS.map((t) => {
            const kb = s.commands.keybindingFor(t.command);
            return (
              <button
                key={t.id}
                role="tab"
                aria-selected={layout.panelTab === t.id}
                className={`panel-tab${layout.panelTab === t.id ? ' active' : ''}`}
                title={kb ? `${t.title} (${kb})` : t.title}
                onClick={() => s.layout.showPanel(t.id)}
              >
                {t.title.toUpperCase()}
                {t.id === 'jobs' && running > 0 && <span className="badge">{running}</span>}
              </button>
            );
          })}
        </div>
        <div className="panel-actions">
          {layout.panelTab === 'output' && (
            <button className="icon-button" title="Clear Output" aria-label="Clear Output" onClick={() => s.logs.clear()}>
              <TrashIcon />
            </button>
          )}
          <button
            className="icon-button"
            title={`Hide Panel (${s.commands.keybindingFor('workbench.action.togglePanel') ?? ''})`}
            aria-label="Hide Panel"
            onClick={() => s.layout.togglePanel()}
          >
            <CloseIcon />
          </button>
        </div>
      </div>
      <div className="panel-body">{layout.panelTab === 'jobs' ? <JobsList /> : <OutputLog />}</div>
    </section>
  );
}

function JobsList() {
  const s = useServices();
  const jobsMap = useStore(s.jobs.jobs);
  const jobs = [...jobsMap.values()].sort((a, b) => b.id - a.id);
  if (jobs.length === 0) {
    return (
      <div className="empty-state">
        No jobs yet. Long work (imports, generation, training) runs as jobs and shows here.{' '}
        <KeybindingLabel keybinding={s.commands.keybindingFor('workbench.action.showCommands')} />
      </div>
    );
  }
  return (
    <table className="grid jobs-table" aria-label="Jobs">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Job</th>
          <th>State</th>
          <th className="progress-col">Progress</th>
          <th>Detail</th>
          <th>Updated</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <JobRow key={j.id} job={j} />
        ))}
      </tbody>
    </table>
  );
}

function JobRow({ job }: { job: Job }) {
  const s = useServices();
  const active = ACTIVE_STATES.has(job.state);
  const frac = jobFraction(job);
  const detail = job.error ? job.error.message : (job.progress.message ?? jobProgressText(job));
  return (
    <tr
      data-job-id={job.id}
      data-state={job.state}
      onDoubleClick={() => s.editors.open({ id: `job:${job.id}`, kind: 'job', title: `Job ${job.id}`, description: job.title, data: { id: job.id } })}
    >
      <td className="num">{job.id}</td>
      <td>
        <span className="strong">{job.title}</span> <span className="muted">{job.kind}</span>
        {job.resumedFrom !== null && <span className="muted"> · resumes #{job.resumedFrom}</span>}
      </td>
      <td>
        <span className={`state state-${job.state}`}>{job.state}</span>
      </td>
      <td className="progress-col">
        <ProgressBar fraction={active || job.state === 'succeeded' ? frac : null} indeterminate={active && frac === null} label={`Job ${job.id} progress`} />
      </td>
      <td className={`ellipsis${job.error ? ' error-text' : ''}`} title={detail}>
        {active ? [job.progress.message, jobProgressText(job)].filter(Boolean).join(' · ') : detail}
      </td>
      <td className="muted nowrap">{new Date(job.updatedAt).toLocaleTimeString()}</td>
      <td className="row-actions">
        {active && (
          <button
            className="icon-button"
            title="Cancel job"
            aria-label={`Cancel job ${job.id}`}
            onClick={() => s.jobs.cancel(job.id).catch((e) => s.notifications.error(e))}
          >
            <StopIcon />
          </button>
        )}
        {RESUMABLE_STATES.has(job.state) && (
          <button
            className="icon-button"
            title="Resume job"
            aria-label={`Resume job ${job.id}`}
            onClick={() =>
              s.jobs
                .resume(job.id)
                .then((id) => s.notifications.info(`Resumed as job ${id}.`))
                .catch((e) => s.notifications.error(e))
            }
          >
            <PlayIcon />
          </button>
        )}
        <button
          className="link-button small"
          onClick={() => s.editors.open({ id: `job:${job.id}`, kind: 'job', title: `Job ${job.id}`, description: job.title, data: { id: job.id } })}
        >
          Details
        </button>
      </td>
    </tr>
  );
}

function OutputLog() {
  const s = useServices();
  const lines = useStore(s.logs.lines);
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <div
      className="output-log"
      ref={ref}
      role="log"
      aria-label="Output"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {lines.length === 0 && <div className="muted">No output yet.</div>}
      {lines.map((l, i) => (
        <div key={i} className={`log-line log-${l.level}`}>
          <span className="log-time">{l.time.slice(11, 23)}</span>
          <span className="log-level">[{l.level}]</span>
          <span className="log-source">{l.source}</span>
          <span className="log-message">{l.message}</span>
        </div>
      ))}
    </div>
  );
}
