import { useEffect, useMemo, useState } from 'react';
import type { EditorProps } from '../feature';
import { useCall, useJob, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { usePersistentState } from '../../ui/persist';
import { UserPicker } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import type { UserViewInput } from './commands';
import { FineTuneForm } from './FineTuneForm';
import { RankScan } from './RankScan';
import { SIDE_LABEL } from './SidePicker';
import { TopList } from './TopList';
import { UsedRationales } from './UsedRationales';
import { UserHistory } from './UserHistory';
import { UserGoTo } from './UserGoTo';

/** The host's limit on runs in one user view. */
const MAX_RUNS = 4;

interface Pending {
  run: number;
  job: number;
  source: number;
}

/** Runs with a new fine-tune placed right after its source; the oldest fine-tune makes room past the limit. */
function withFineTune(runs: number[], source: number, run: number): number[] {
  const out = [...runs];
  out.splice(out.indexOf(source) + 1, 0, run);
  while (out.length > MAX_RUNS) out.splice(2, 1);
  return out;
}

/**
 * One user through runs side by side ("edit the why, see the what"): the history, the rationales a run
 * aligned to (each opens in the review editor), and each run's top-10 with the test item's rank; a fine-tune
 * from a run joins the view next to it when it finishes.
 */
export function UserViewEditor({ input }: EditorProps) {
  const want = input.data as (UserViewInput & { at?: number }) | undefined;
  const [runs, setRuns] = usePersistentState<number[]>('training.user.runs', want?.runs ?? []);
  const [user, setUser] = usePersistentState<number | string | null>('training.user.user', want?.user ?? null);
  const [pending, setPending] = usePersistentState<Pending[]>('training.user.pending', []);
  const [tuning, setTuning] = useState<number | null>(null);
  useEffect(() => {
    if (!want?.runs) return;
    setRuns(want.runs);
    if (want.user !== undefined) setUser(want.user);
    // Opening again (the `at` stamp) shows the runs asked for.
  }, [want?.at, setRuns, setUser]);
  const finished = useJobsFinished(['train.']);
  const list = useCall('runs.list', { includeArchived: true }, finished);
  const byId = useMemo(() => new Map((list.data?.runs ?? []).map((r) => [r.id, r])), [list.data]);
  const dataset = byId.get(runs[0] ?? -1)?.dataset ?? null;
  // A fine-tune that succeeded joins the lists next to its source.
  useEffect(() => {
    const done = pending.filter((p) => byId.get(p.run)?.state === 'succeeded');
    if (!done.length) return;
    setRuns((rs) => done.reduce((acc, p) => withFineTune(acc, p.source, p.run), rs));
    setPending((ps) => ps.filter((p) => !done.includes(p)));
  }, [byId, pending, setRuns, setPending]);
  const view = useCall('runs.userView', user !== null && runs.length ? { runs, user, k: 10 } : null, finished);
  // A user given by original id is shown by index from then on (the picker lists indices).
  useEffect(() => {
    if (view.data && typeof user === 'string' && view.data.user.originalId === user) setUser(view.data.user.idx);
  }, [view.data, user, setUser]);
  const label = (id: number, i: number) => {
    if (i < 2) return SIDE_LABEL[i === 0 ? 'a' : 'b'];
    const from = byId.get(id)?.overrides.initFrom;
    return from !== undefined ? `fine-tuned from #${String(from)}` : `run ${i + 1}`;
  };

  return (
    <div className="editor-page training-user" data-testid="training-user">
      <header className="page-header">
        <h1>{view.data ? `User ${view.data.user.originalId}` : 'User Side by Side'}</h1>
        {view.data && (
          <span className="muted">
            #{view.data.user.idx} · {view.data.dataset}
          </span>
        )}
      </header>
      {runs.length === 0 && <div className="empty-state">Open this view from the compare view (Per user), with two runs on the same dataset.</div>}
      {dataset && (
        <div className="row user-choose">
          {typeof user !== 'string' && <UserPicker dataset={dataset} value={user} onChange={setUser} />}
          <UserGoTo onGo={setUser} />
          {runs.length >= 2 && <RankScan runs={[runs[0]!, runs[1]!]} dataset={dataset} onPick={setUser} />}
        </div>
      )}
      <HostErrorBox error={list.error} what="Training runs" methods={['runs.list']} />
      <HostErrorBox error={view.error} what="The per-user view" methods={['runs.userView']} />
      {view.error && typeof user === 'string' && (
        <button className="link-button small" onClick={() => setUser(null)}>
          Pick a user from the list instead
        </button>
      )}
      {pending.map((p) => (
        <PendingFineTune key={p.run} p={p} onDismiss={() => setPending((ps) => ps.filter((x) => x !== p))} />
      ))}
      {tuning !== null && (
        <FineTuneForm
          source={tuning}
          onClose={() => setTuning(null)}
          onStarted={(run, job) => {
            setPending((ps) => [...ps, { run, job, source: tuning }]);
            setTuning(null);
          }}
        />
      )}
      {view.loading && !view.data && user !== null && <div className="busy">Scoring the user with each run…</div>}
      {view.data && (
        <>
          <div className="top-lists" style={{ gridTemplateColumns: `repeat(${view.data.runs.length}, minmax(0, 1fr))` }}>
            {view.data.runs.map((r, i) => (
              <TopList
                key={r.run}
                run={r}
                label={label(r.run, i)}
                side={i === 0 ? 'a' : i === 1 ? 'b' : 'c'}
                onFineTune={byId.get(r.run)?.state === 'succeeded' ? () => setTuning(r.run) : undefined}
              />
            ))}
          </div>
          <div className="view-cols">
            <UserHistory view={view.data} />
            <UsedRationales view={view.data} />
          </div>
        </>
      )}
    </div>
  );
}

function PendingFineTune({ p, onDismiss }: { p: Pending; onDismiss: () => void }) {
  const job = useJob(p.job);
  if (!job) return null;
  return (
    <div className="row" data-testid="fine-tune-job">
      <JobStatus job={job} label={`Fine-tune of run ${p.source} (run ${p.run})`} extra={`fine-tune of #${p.source} → run #${p.run}`} />
      {job.state !== 'running' && job.state !== 'queued' && (
        <button className="link-button small" onClick={onDismiss} aria-label={`Dismiss fine-tune run ${p.run}`}>
          Dismiss
        </button>
      )}
    </div>
  );
}
