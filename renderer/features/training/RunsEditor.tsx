import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Name, type MetricPoint, type RunSummary } from '../../../preload/contract';
import { ACTIVE_STATES } from '../../services/jobs';
import type { EditorProps } from '../feature';
import type { ChartTrace } from '../../ui/Chart';
import { fmtNum, useHost, useJob, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { usePersistentState } from '../../ui/persist';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices, type Services } from '../../workbench/services';
import { compareSelected, evaluateRun, exportResults, openMap, openNewRun } from './commands';
import { debiasedEma } from './smoothing';
import { useRunMetrics } from './use-metrics';

const Chart = lazy(() => import('../../ui/Chart'));

type XAxis = 'step' | 'epoch' | 'wall';

/** Live curves of the selected runs over the runs table (best and last values, differing settings, actions). */
export function RunsEditor({ input }: EditorProps) {
  const s = useServices();
  const want = (input.data as { select?: number[] | null; at?: number } | undefined) ?? {};
  const [archived, setArchived] = usePersistentState('training.archived', false);
  const finished = useJobsFinished(['train.']);
  const [refresh, setRefresh] = useState(0);
  const list = useHost<{ runs: RunSummary[] }>('runs.list', { includeArchived: archived }, `${finished}:${refresh}`);
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
  const toggle = (id: number) => setSelected((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const running = runs.filter((r) => selected.includes(r.id) && (r.state === 'running' || r.state === 'queued'));

  return (
    <div className="editor-page training-runs" data-testid="training-runs">
      <header className="page-header">
        <h1>Training Runs</h1>
        <span className="spacer" />
        <button className="button small" onClick={() => openNewRun(s)}>
          New Run…
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
      {running.map((r) => (r.jobId !== null ? <RunJob key={r.id} jobId={r.jobId} /> : null))}
      {!list.error && <Curves runs={runs.filter((r) => selected.includes(r.id))} />}
      {!list.error && (
        <section className="section" style={{ maxWidth: 'none' }}>
          <div className="row">
            <h2>Runs</h2>
            <span className="spacer" />
            <button
              className="button secondary small"
              disabled={selected.length !== 2}
              onClick={() => compareSelected(s).catch((e) => s.notifications.error(e))}
              title="Paired t-test of the two selected runs on per-user test NDCG@10"
            >
              Compare Selected
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
          {runs.length > 0 && <RunsTable runs={runs} selected={selected} toggle={toggle} reload={reload} />}
        </section>
      )}
    </div>
  );
}

function RunJob({ jobId }: { jobId: number }) {
  const job = useJob(jobId);
  if (!job || !ACTIVE_STATES.has(job.state)) return null;
  return <JobStatus job={job} label={`Training job ${jobId}`} />;
}

function Curves({ runs }: { runs: RunSummary[] }) {
  const [smoothing, setSmoothing] = usePersistentState('training.smoothing', 0.6);
  const [xAxis, setXAxis] = usePersistentState<XAxis>('training.x', 'step');
  const [logY, setLogY] = usePersistentState('training.log', false);
  const [metric, setMetric] = usePersistentState('training.metric', 'valid.ndcg@10');
  const { points, error } = useRunMetrics(runs.map((r) => r.id));
  const names = useMemo(() => {
    const n = new Set<string>();
    for (const ps of points.values()) for (const p of ps) n.add(p.name);
    return [...n].sort();
  }, [points]);
  const validNames = names.filter((n) => n !== 'train.loss');
  const total = [...points.values()].reduce((a, p) => a + p.length, 0);
  const traces = (name: string): ChartTrace[] =>
    runs.flatMap((r, i) => {
      const ps = (points.get(r.id) ?? []).filter((p: MetricPoint) => p.name === name);
      if (!ps.length) return [];
      const x = ps.map((p) => (xAxis === 'step' ? p.step : xAxis === 'epoch' ? p.epoch : p.wall));
      const y = ps.map((p) => p.value);
      const label = `${r.name} (#${r.id})`;
      const smooth = smoothing > 0 && ps.length > 2;
      const out: ChartTrace[] = [
        { name: label, x, y, color: i, opacity: smooth ? 0.25 : 1, showlegend: !smooth, mode: ps.length < 3 ? 'lines+markers' : 'lines' },
      ];
      if (smooth) out.push({ name: label, x, y: debiasedEma(y, smoothing), color: i, width: 2 });
      return out;
    });
  const xTitle = xAxis === 'wall' ? 'wall time (s)' : xAxis;
  return (
    <section className="section curves" data-testid="curves" data-points={total} style={{ maxWidth: 'none' }}>
      <div className="controls">
        <label title="Exponential moving average, debiased as TensorBoard does; the raw values stay faint behind">
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} aria-label="Smoothing" value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
          <span className="mono">{smoothing.toFixed(2)}</span>
        </label>
        <div className="segmented" role="tablist" aria-label="X axis">
          {(['step', 'epoch', 'wall'] as const).map((x) => (
            <button
              key={x}
              role="tab"
              aria-selected={xAxis === x}
              className={xAxis === x ? 'active' : ''}
              onClick={() => setXAxis(x)}
              title={x === 'wall' ? 'Seconds since the run started' : `Training ${x}`}
            >
              {x === 'wall' ? 'wall time' : x}
            </button>
          ))}
        </div>
        <label title="Logarithmic y axis">
          <input type="checkbox" aria-label="Log scale" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> Log scale
        </label>
        <label title="Validation metric in the right chart">
          Metric
          <select className="input" aria-label="Validation metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {[...new Set([metric, ...validNames])].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {runs.length === 0 ? 'Select runs in the table to draw their curves.' : `${runs.length} run${runs.length > 1 ? 's' : ''} · ${total} points`}
        </span>
      </div>
      <HostErrorBox error={error} what="Metric curves" methods={['runs.metrics']} />
      <div className="view-cols">
        <div className="card chart-card" data-testid="loss-chart">
          <h2>train.loss</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Chart traces={traces('train.loss')} xTitle={xTitle} yTitle="loss" logY={logY} label="Training loss" />
          </Suspense>
        </div>
        <div className="card chart-card" data-testid="valid-chart">
          <h2>{metric}</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Chart traces={traces(metric)} xTitle={xTitle} yTitle={metric} logY={logY} label={`Validation ${metric}`} />
          </Suspense>
        </div>
      </div>
    </section>
  );
}

const SHOWN = ['valid.ndcg@10', 'valid.hr@10'];

/**
 * Per run, the settings whose values are not the same for every listed run (arch, preset, seed, dataset and
 * any override); a run that keeps the preset's value of an overridden setting shows nothing for it.
 */
function differing(runs: RunSummary[]): Map<number, string> {
  const keys = new Set<string>(['arch', 'preset', 'seed', 'dataset']);
  for (const r of runs) for (const k of Object.keys(r.overrides)) keys.add(k);
  const value = (r: RunSummary, k: string): unknown => (k in r.overrides ? r.overrides[k] : (r as unknown as Record<string, unknown>)[k]);
  const diff = [...keys].filter((k) => new Set(runs.map((r) => JSON.stringify(value(r, k) ?? null))).size > 1);
  return new Map(
    runs.map((r) => [
      r.id,
      diff
        .filter((k) => value(r, k) !== undefined)
        .map((k) => `${k}=${typeof value(r, k) === 'string' ? String(value(r, k)) : JSON.stringify(value(r, k))}`)
        .join('  '),
    ]),
  );
}

function RunsTable({ runs, selected, toggle, reload }: { runs: RunSummary[]; selected: number[]; toggle: (id: number) => void; reload: () => void }) {
  const s = useServices();
  const diffs = differing(runs);
  const act = (p: Promise<unknown>) => void p.then(reload, (e) => s.notifications.error(e));
  return (
    <div className="scroll-x">
      <table className="grid compact runs-table" aria-label="Runs">
        <thead>
          <tr>
            <th title="Overlay this run's curves">Show</th>
            <th>Run</th>
            <th>State</th>
            <th>Dataset</th>
            <th>Arch</th>
            <th className="num" title="Epochs trained (best epoch)">
              Epochs
            </th>
            {SHOWN.map((m) => (
              <th key={m} className="num" title={`Best ${m} (last)`}>
                best {m.replace('valid.', '')}
              </th>
            ))}
            <th className="num" title="Last training loss">
              last loss
            </th>
            <th className="num" title="Test NDCG@10, full ranking, on the best checkpoint">
              test ndcg@10
            </th>
            <th title="Settings that differ between the runs listed">Differs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run={r.id} data-state={r.state} className={selected.includes(r.id) ? 'selected' : ''}>
              <td>
                <input type="checkbox" aria-label={`Show ${r.name}`} checked={selected.includes(r.id)} onChange={() => toggle(r.id)} />
              </td>
              <td className="ellipsis" title={`${r.name} (#${r.id})${r.group ? `, group ${r.group}` : ''}`}>
                {r.name} <span className="muted small">#{r.id}</span>
                {r.archived && <span className="muted small"> · archived</span>}
              </td>
              <td>
                <span className={`state state-${r.state}`}>{r.state}</span>
              </td>
              <td>{r.dataset}</td>
              <td>{r.arch}</td>
              <td className="num">
                {r.epochs}
                {r.bestEpoch !== null && <span className="muted"> ({r.bestEpoch})</span>}
              </td>
              {SHOWN.map((m) => (
                <td key={m} className="num" title={`last ${fmtNum(r.last[m])}`}>
                  {fmtNum(r.best[m])}
                </td>
              ))}
              <td className="num">{fmtNum(r.last['train.loss'])}</td>
              <td className="num">{fmtNum(r.test.full?.['ndcg@10'])}</td>
              <td className="wrap mono small differs">{diffs.get(r.id)}</td>
              <td className="row-actions">
                <button
                  className="link-button small"
                  disabled={r.state !== 'succeeded'}
                  onClick={() => act(evaluateRun(s, r.id))}
                  aria-label={`Evaluate ${r.name}`}
                >
                  Evaluate
                </button>{' '}
                <button className="link-button small" onClick={() => act(renameRun(s, r))} aria-label={`Rename ${r.name}`}>
                  Rename
                </button>{' '}
                <button
                  className="link-button small"
                  onClick={() => act(s.api.call('runs.archive', { id: r.id, archived: !r.archived }))}
                  aria-label={`${r.archived ? 'Unarchive' : 'Archive'} ${r.name}`}
                >
                  {r.archived ? 'Unarchive' : 'Archive'}
                </button>{' '}
                <button
                  className="link-button small"
                  disabled={r.state === 'running' || r.state === 'queued'}
                  onClick={() => act(deleteRun(s, r))}
                  aria-label={`Delete ${r.name}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function renameRun(s: Services, r: RunSummary): Promise<void> {
  const name = await s.dialogs.prompt({
    title: 'Rename Run',
    message: `New name for “${r.name}”.`,
    confirmLabel: 'Rename',
    input: {
      value: r.name,
      label: 'Name',
      validate: (v) => (Name.safeParse(v).success ? null : (Name.safeParse(v).error?.issues[0]?.message ?? 'Invalid name')),
    },
  });
  if (name === null || name.trim() === r.name) return;
  await s.api.call('runs.rename', { id: r.id, name: name.trim() });
}

async function deleteRun(s: Services, r: RunSummary): Promise<void> {
  const ok = await s.dialogs.confirm({
    title: 'Delete Run',
    message: `Delete “${r.name}” with its metrics, results and checkpoints? This cannot be undone.`,
    confirmLabel: 'Delete',
    destructive: true,
  });
  if (ok) await s.api.call('runs.delete', { id: r.id });
}
