import type { UserView } from '../../../common/contract';
import { useServices } from '../../workbench/services';
import { openReview } from '../rationales/commands';

/** The rationale versions each run aligned to for this user, each one a click away from the review editor. */
export function UsedRationales({ view }: { view: UserView }) {
  const s = useServices();
  const users = view.runs.filter((r) => r.rationales.length > 0);
  return (
    <div className="card" data-testid="used-rationales">
      <h2>Rationales the runs used</h2>
      {users.length === 0 && (
        <p className="muted">None of these runs aligned to a rationale for this user (SASRec runs use none; a PULSE run uses the rationales it found).</p>
      )}
      {users.map((r) => (
        <div key={r.run} className="used-rationales" data-run={r.run}>
          <h3>
            {r.name} <span className="muted">#{r.run}</span>
          </h3>
          <ul className="rationale-list">
            {r.rationales.map((x) => (
              <li key={x.versionId} className="rationale-entry" data-version={x.versionId}>
                <div className="row tight">
                  <span className="muted small" title="The history position whose next item this rationale explains">
                    why item {x.targetPos + 1}:
                  </span>
                  <span className="item-title">{x.item.title}</span>
                  <span className="muted small">
                    {x.agentKind} · version {x.versionId}
                  </span>
                  <span className="spacer" />
                  <button
                    className="link-button small"
                    onClick={() => openReview(s, view.dataset, 'all', x.rationaleId)}
                    aria-label={`Edit in Review: rationale ${x.rationaleId}`}
                  >
                    Edit in Review
                  </button>
                </div>
                <p className="rationale-text">{x.text}</p>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
