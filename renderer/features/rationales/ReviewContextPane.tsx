import type { ReviewRecord } from '../../../common/contract';

/** The left pane: the target item and the user's history before it. */
export function ReviewContextPane({ record }: { record: ReviewRecord | null }) {
  const history = record?.history ?? [];
  return (
    // Focusable so that the keyboard can scroll a long history (axe: scrollable-region-focusable).
    <section className="review-context" aria-label="User history" tabIndex={0}>
      <h2>Target item</h2>
      {record && (
        <div className="review-target" data-testid="review-target">
          <div className="item-title">{record.target.title}</div>
          <div className="muted small">
            {[record.target.brand, record.target.categories].filter(Boolean).join(' · ')} · {record.target.originalId}
          </div>
          {record.target.description && <div className="small review-description">{record.target.description}</div>}
        </div>
      )}
      <h2>History before it ({history.length})</h2>
      <ol className="review-history" data-testid="review-history">
        {history.map((h) => (
          <li key={h.pos}>
            <div className="item-title">{h.item.title}</div>
            <div className="muted small">
              {[h.item.brand, h.item.categories].filter(Boolean).join(' · ')}
              {h.rating !== null ? ` · rated ${h.rating}` : ''}
            </div>
            {h.review && <div className="small review-text">“{h.review}”</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
