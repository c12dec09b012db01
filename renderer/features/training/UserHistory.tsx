import type { UserView } from '../../../common/contract';

type Item = UserView['history'][number];

function ItemLine({ item, pos, split }: { item: Item; pos: number; split: 'train' | 'valid' | 'test' }) {
  return (
    <li className={`history-item split-${split}-row`} data-split={split}>
      <span className="muted mono">{pos}</span>
      <span className="item-title" title={`item ${item.originalId} (#${item.idx})`}>
        {item.title}
      </span>
      {split !== 'train' && <span className={`item-badge split-${split}-badge`}>{split === 'valid' ? 'validation' : 'test'}</span>}
    </li>
  );
}

/** The user's history, oldest first: the training items, then the validation and test items the runs were scored on. */
export function UserHistory({ view }: { view: UserView }) {
  const n = view.history.length;
  return (
    <div className="card" data-testid="user-history-card">
      <h2>
        History <span className="muted small">({n} training items)</span>
      </h2>
      <ol className="history-list" aria-label="History">
        {view.history.map((it, i) => (
          <ItemLine key={`${i}:${it.idx}`} item={it} pos={i + 1} split="train" />
        ))}
        {view.valid && <ItemLine item={view.valid} pos={n + 1} split="valid" />}
        {view.test && <ItemLine item={view.test} pos={n + (view.valid ? 2 : 1)} split="test" />}
      </ol>
    </div>
  );
}
