import type { ReviewRecord } from '../../../common/contract';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import { Guidelines } from './Guidelines';
import { reviewController } from './review-controller';
import { agentName } from './review-format';

/**
 * The right pane: the guidelines (editable in place; `draft` is the text being edited, null when not editing,
 * owned by the editor because an open guidelines form keeps the decision keys off) and the record's history.
 */
export function ReviewSidePane({ record, draft, setDraft }: { record: ReviewRecord | null; draft: string | null; setDraft: (v: string | null) => void }) {
  const s = useServices();
  const ctl = reviewController(s);
  const config = useStore(ctl.config);
  const save = (guidelines: string) =>
    s.api.call('review.config.update', { guidelines }).then(
      (c) => {
        ctl.config.set(c);
        setDraft(null);
      },
      (e) => s.notifications.error(e),
    );
  return (
    <aside className="review-side">
      <h2>
        Guidelines{' '}
        <button className="link-button small" onClick={() => setDraft(config?.guidelines ?? '')}>
          edit
        </button>
      </h2>
      {draft !== null ? (
        <div className="guidelines-edit">
          <textarea className="input" aria-label="Guidelines (Markdown)" value={draft} onChange={(e) => setDraft(e.target.value)} rows={14} />
          <div className="row-actions">
            <button className="button small" onClick={() => void save(draft)}>
              Save
            </button>
            <button className="button small secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <Guidelines text={config?.guidelines ?? ''} />
      )}
      <h2>History of this record</h2>
      <ul className="review-log" data-testid="review-log">
        {record?.versions.map((v) => (
          <li key={`v${v.id}`} className={v.id === record.currentVersionId ? 'strong' : ''}>
            v{v.version} · {v.agentKind}
            {agentName(v.agent)} · {v.createdAt.slice(0, 16).replace('T', ' ')}
          </li>
        ))}
        {record?.decisions.map((d) => (
          <li key={`d${d.id}`} className={d.undone ? 'undone' : ''} data-decision={d.decision}>
            {d.annotator}: {d.decision}
            {d.reason ? ` (${d.reason})` : ''}
            {d.comment ? ` “${d.comment}”` : ''} · {d.createdAt.slice(0, 16).replace('T', ' ')}
            {d.undone ? ' · undone' : ''}
          </li>
        ))}
      </ul>
      {record && record.assignedTo.length > 0 && <p className="muted small">Assigned to {record.assignedTo.join(', ')}</p>}
    </aside>
  );
}
