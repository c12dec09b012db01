import { useEffect, useMemo, useState } from 'react';
import { ACTIVE_STATES } from '../../services/jobs';
import type { EditorProps } from '../feature';
import { useCall, useJob, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { usePersistentState } from '../../ui/persist';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openMap } from '../space/commands';
import { compareSelected, exportResults, openNewRun, openSweep } from './commands';
import { Curves } from './Curves';
import { RunsTable } from './RunsTable';

/** Live curves of the selected runs over the runs table (best and last values, differing settings, actions). */
export function RunsEditor({ input }: EditorProps) {
  const s = useServices();
  const want = (input.data as { select?: number[] | null; at?: number } | undefined) ?? {};
  const [archived, setArchived] = usePersistentState('training.archived', false);
  const finished = useJobsFinished(['train.']);
  const [refresh, setRefresh] = useState(0);
  const list = useCall('runs.list', { includeArchived: archived }, `${finished}:${refresh}`);
  const runs = useMemo(() => list.data?.runs ?? [], [list.data]);
  const [selected, setSelected] = usePersistentState<number[]>('training.selected', []);
  useEffect(() => {
    if (want.select?.length) setSelected(want.select);
    // A run started from the form selects itself (the `at` stamp makes a repeat open count).
  }, [want.at, setSelected]);
  useEffect(() => {
    if (selected.length === 0 && runs[0]) setSelected([runs[0].id]);
  }, [runs, selected.length, setSelected]);
  // While a run trains, its best and last values change: refetch the table every few seconds.
  const anyActive = runs.some((r) => r.state === 'running' || r.state === 'queued');
  useEffect(() => {
    if (!anyActive) return;
    const t = setInterval(() => setRefresh((r) => r + 1), 3000);
    return () => clearInterval(t);
  }, [anyActive]);

  const reload = () => setRefresh((r) => r + 1);
  const select = (ids: number[], on: boolean) => setSelected((p) => (on ? [...new Set([...p, ...ids])] : p.filter((x) => !ids.includes(x))));
  // The runs of a sweep share its job: one status line per job.
  const jobs = [
    ...new Set(runs.filter((r) => selected.includes(r.id) && (r.state === 'running' || r.state === 'queued') && r.jobId !== null).map((r) => r.jobId!)),
  ];
  const compareKb = s.commands.keybindingFor('training.compareSelected');

  return (
    <div className="editor-page training-runs" data-testid="training-runs">
      <header className="page-header">
        <h1>Training Runs</h1>
        <span className="spacer" />
        <button className="button small" onClick={() => openNewRun(s)}>
          New Run…
        </button>
        <button className="button secondary small" onClick={() => openSweep(s)} title="Train one run per combination of settings, as one job">
          New Sweep…
        </button>
        <button
          className="button secondary small"
          onClick={() => exportResults(s, 'csv', selected).catch((e) => s.notifications.error(e))}
          title="Export the selected runs (all when none) as CSV"
        >
          Export CSV
        </button>
        <button
          className="button secondary small"
          onClick={() => exportResults(s, 'md', selected).catch((e) => s.notifications.error(e))}
          title="Export the selected runs (all when none) as Markdown"
        >
          Export Markdown
        </button>
        <button className="button secondary small" onClick={() => openMap(s)}>
          Thought-Space Map
        </button>
      </header>
      <HostErrorBox error={list.error} what="Training runs" methods={['runs.list']} />
      {jobs.map((id) => (
        <RunJob key={id} jobId={id} />
      ))}
      {!list.error && <Curves runs={runs.filter((r) => selected.includes(r.id))} />}
      {!list.error && (
        <section className="section" style={{ maxWidth: 'none' }}>
          <div className="row">
            <h2>Runs</h2>
            <span className="spacer" />
            <button
              className="button secondary small"
              disabled={selected.length < 2}
              onClick={() => compareSelected(s, runs)}
              title={`Compare the selected runs: two runs, two groups (seeds, sweeps) or SASRec against PULSE${compareKb ? ` (${compareKb})` : ''}`}
            >
              Compare…
            </button>
            <label className="field-inline" title="Show archived runs too">
              <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Archived
            </label>
          </div>
          {list.data && runs.length === 0 && (
            <div className="empty-state">
              No runs yet.{' '}
              <button className="link-button" onClick={() => openNewRun(s)}>
                Start one
              </button>
              .
            </div>
          )}
          {runs.length > 0 && <RunsTable runs={runs} selected={selected} select={select} reload={reload} />}
        </section>
      )}
    </div>
  );
}

function RunJob({ jobId }: { jobId: number }) {
  const job = useJob(jobId);
  if (!job || !ACTIVE_STATES.has(job.state)) return null;
  return <JobStatus job={job} label={`${job.kind === 'train.sweep' ? 'Sweep' : 'Training'} job ${jobId}`} />;
}
