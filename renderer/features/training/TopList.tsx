import type { UserView } from '../../../common/contract';

type RunView = UserView['runs'][number];

/** One run's top-k for the user, the test item marked, and where the test item ranks among all items. */
export function TopList({ run, label, side, onFineTune }: { run: RunView; label: string; side: string; onFineTune?: () => void }) {
  const rank = run.testRank >= 0 ? run.testRank + 1 : null;
  return (
    <div className={`card top-list side-${side}`} data-testid="top-list" data-run={run.run} data-test-rank={rank ?? ''}>
      <div className="side-tag">{label}</div>
      <h2 className="ellipsis" title={`${run.name} (#${run.run})`}>
        {run.name} <span className="muted">#{run.run}</span> <span className="muted small">{run.arch}</span>
      </h2>
      <div className="test-rank" title="Rank of the test item among all items, the user's other items left out (1 = first)">
        test item at rank <strong data-testid="test-rank">{rank ?? '—'}</strong>
      </div>
      <ol className="top-items" aria-label={`Top ${run.top.length} of ${run.name}`}>
        {run.top.map((it, i) => (
          <li key={it.idx} className={it.isTest ? 'is-test' : ''} data-item={it.originalId}>
            <span className="muted mono">{i + 1}</span>
            <span className="item-title" title={`item ${it.originalId} (#${it.idx})`}>
              {it.title}
            </span>
            {it.isTest && <span className="item-badge split-test-badge">test</span>}
            <span className="spacer" />
            <span className="muted mono small" title="Score">
              {it.score.toFixed(2)}
            </span>
          </li>
        ))}
      </ol>
      {onFineTune && (
        <button className="link-button small" onClick={onFineTune} aria-label={`Fine-tune from this run… (${run.name} #${run.run})`}>
          Fine-tune from this run…
        </button>
      )}
    </div>
  );
}
