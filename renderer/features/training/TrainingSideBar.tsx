import { fmtNum, useCall, useJobsFinished } from '../../ui/host';
import { Unavailable } from '../../ui/Unavailable';
import { AddIcon, RefreshIcon } from '../../ui/icons';
import { useServices } from '../../workbench/services';
import { openMap } from '../space/commands';
import { openCompare, openNewRun, openRuns } from './commands';

/** Runs, newest first, with their state and best validation NDCG@10; buttons for a new run and the map. */
export function TrainingSideBar() {
  const s = useServices();
  const finished = useJobsFinished(['train.', 'space.']);
  const list = useCall('runs.list', {}, finished);
  const kb = s.commands.keybindingFor('training.newRun');
  return (
    <div className="training-sidebar">
      <div className="sidebar-toolbar">
        <button className="button small" onClick={() => openNewRun(s)} title={kb ? `New Training Run (${kb})` : 'New Training Run'}>
          <AddIcon /> New Run…
        </button>
        <button className="button secondary small" onClick={() => openMap(s)} title="Open Thought-Space Map">
          Map
        </button>
        <button className="button secondary small" onClick={() => openCompare(s)} title="Compare two runs or two sets of runs">
          Compare
        </button>
        <span className="spacer" />
        <button className="icon-button" title="Refresh Runs" aria-label="Refresh Runs" onClick={list.reload}>
          <RefreshIcon />
        </button>
      </div>
      {list.unavailable && <Unavailable what="Training" methods={['runs.list']} />}
      {list.data && list.data.runs.length === 0 && (
        <div className="sidebar-message">
          <p>No training runs yet.</p>
          <button className="button" onClick={() => openNewRun(s)}>
            Start a run
          </button>
        </div>
      )}
      <ul className="list" role="listbox" aria-label="Runs">
        {list.data?.runs.map((r) => (
          <li
            key={r.id}
            role="option"
            aria-selected={false}
            tabIndex={0}
            className="list-item run-item"
            data-run={r.id}
            onClick={() => openRuns(s, [r.id])}
            onKeyDown={(e) => e.key === 'Enter' && openRuns(s, [r.id])}
          >
            <div className="list-item-main">
              <span className="list-item-title">{r.name}</span>
              <span className={`state state-${r.state}`}>{r.state}</span>
            </div>
            <div className="list-item-sub">
              <span>{r.dataset}</span>
              <span>{r.arch}</span>
              <span title="Best validation NDCG@10">ndcg@10 {fmtNum(r.best['valid.ndcg@10'], 3)}</span>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
