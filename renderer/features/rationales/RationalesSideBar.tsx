import { useEffect, useRef, useState } from 'react';
import type { Queue, ReviewStats } from '../../../common/contract';
import { KeybindingLabel } from '../../commands/keybinding-label';
import { ProgressBar } from '../../ui/ProgressBar';
import { useStore } from '../../state/store';
import { useEvent } from '../../state/use-event';
import { useServices } from '../../workbench/services';
import { openBulk, openReview } from './commands';
import { reviewController } from './review-controller';
import { reviewSelection } from './selection';

const QUEUES: Queue[] = ['pending', 'flagged', 'accepted', 'edited', 'rejected', 'all'];

/** Pick a dataset and queue, start reviewing or open the bulk view; statuses, flags and progress per annotator. */
export function RationalesSideBar() {
  const s = useServices();
  const ctl = reviewController(s);
  const list = useStore(s.datasets.list);
  const sel = useStore(reviewSelection);
  const settings = useStore(s.settings.settings);
  const config = useStore(ctl.config);
  const jobs = useStore(s.jobs.jobs);
  const editors = useStore(s.editors.state);
  useStore(s.commands.commands);
  const [stats, setStats] = useState<ReviewStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [decided, setDecided] = useState(0);
  const dataset = sel.dataset && list?.some((d) => d.name === sel.dataset) ? sel.dataset : (list?.[0]?.name ?? null);
  const finished = [...jobs.values()].filter((j) => j.state === 'succeeded').length;

  // Decisions in a review or bulk editor change the counts: refetch once they pause (a burst of keys is one fetch).
  const pause = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEvent(ctl.onDidDecide, (ds) => {
    if (ds !== dataset) return;
    clearTimeout(pause.current);
    pause.current = setTimeout(() => setDecided((n) => n + 1), 250);
  });
  useEffect(() => () => clearTimeout(pause.current), []);

  useEffect(() => {
    if (!config) ctl.loadConfig().catch(() => undefined);
  }, [config, ctl]);
  useEffect(() => {
    if (!dataset) return;
    let live = true;
    s.api.call('review.stats', { dataset }).then(
      (r) => live && (setStats(r), setError(null)),
      (e: Error) => live && (setStats(null), setError(e.message)),
    );
    return () => {
      live = false;
    };
    // Refetch when jobs finish (drafts, quality), after decisions, and when the user comes back from a review tab.
  }, [dataset, s, finished, decided, editors.active]);

  if (list && list.length === 0)
    return <div className="sidebar-message">No datasets yet. Import one, or build the demo, then generate or draft rationales.</div>;
  return (
    <div className="rationales-sidebar" data-testid="rationales-sidebar">
      <label className="field">
        <span className="field-title">Dataset</span>
        <select
          className="input"
          aria-label="Dataset to review"
          value={dataset ?? ''}
          onChange={(e) => reviewSelection.set((p) => ({ ...p, dataset: e.target.value }))}
        >
          {list?.map((d) => (
            <option key={d.name}>{d.name}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-title">Queue</span>
        <select className="input" aria-label="Queue" value={sel.queue} onChange={(e) => reviewSelection.set((p) => ({ ...p, queue: e.target.value as Queue }))}>
          {QUEUES.map((q) => (
            <option key={q} value={q}>
              {q} {stats && q !== 'all' ? `(${stats.statuses[q].toLocaleString()})` : ''}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">
        Reviewing as <span className="strong">{settings?.annotator ?? '…'}</span> (change in Settings)
      </p>
      <label className="field-inline small" title="Hide other annotators' decisions and edits while reviewing">
        <input
          type="checkbox"
          checked={config?.blind ?? false}
          onChange={(e) =>
            s.api.call('review.config.update', { blind: e.target.checked }).then(
              (c) => ctl.config.set(c),
              (err) => s.notifications.error(err),
            )
          }
        />{' '}
        Blind mode
      </label>
      <div className="sidebar-actions">
        <button className="button" disabled={!dataset} onClick={() => dataset && openReview(s, dataset, sel.queue)} data-testid="start-review">
          Start Review <KeybindingLabel keybinding={s.commands.keybindingFor('review.start')} />
        </button>
        <button className="button secondary" disabled={!dataset} onClick={() => dataset && openBulk(s, dataset)} data-testid="open-bulk">
          All Rationales <KeybindingLabel keybinding={s.commands.keybindingFor('review.openBulk')} />
        </button>
        <button
          className="button secondary"
          disabled={!dataset}
          onClick={() => dataset && s.api.call('review.quality', { dataset, recompute: false }).catch((e) => s.notifications.error(e))}
          data-testid="check-quality"
        >
          Check Quality <KeybindingLabel keybinding={s.commands.keybindingFor('review.checkQuality')} />
        </button>
      </div>
      {error && <div className="sidebar-message error-text">{error}</div>}
      {stats && (
        <div className="review-stats" data-testid="review-stats">
          <h3>Status</h3>
          <table className="review-kv">
            <tbody>
              {(['pending', 'accepted', 'edited', 'rejected', 'flagged'] as const).map((k) => (
                <tr key={k} data-status={k}>
                  <td>{k}</td>
                  <td className="num">{stats.statuses[k].toLocaleString()}</td>
                </tr>
              ))}
              <tr>
                <td className="strong">curated</td>
                <td className="num strong">{stats.curated.toLocaleString()}</td>
              </tr>
            </tbody>
          </table>
          <h3>Quality flags</h3>
          <p className="muted small">
            {stats.qualityChecked.toLocaleString()} of {stats.rationales.toLocaleString()} checked
          </p>
          <table className="review-kv">
            <tbody>
              {Object.entries(stats.flags).map(([k, v]) => (
                <tr key={k}>
                  <td>{k.replace('_', ' ')}</td>
                  <td className="num">{v.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Annotators</h3>
          {stats.annotators.length === 0 && <p className="muted small">No decisions yet.</p>}
          {stats.annotators.map((a) => (
            <div key={a.annotator} className="annotator-progress" data-annotator={a.annotator}>
              <div>
                <span className="strong">{a.annotator}</span>{' '}
                <span className="muted small">
                  {a.decided.toLocaleString()} decided · {a.remaining.toLocaleString()} left{a.assigned ? ` of ${a.assigned.toLocaleString()} assigned` : ''}
                </span>
              </div>
              <ProgressBar fraction={a.decided / Math.max(1, a.assigned || a.decided + a.remaining)} label={`${a.annotator} progress`} />
              <div className="muted small">
                ✓ {a.accepted} · ✎ {a.edited} · ✗ {a.rejected} · ⚑ {a.flagged}
                {a.undone ? ` · ${a.undone} undone` : ''}
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
