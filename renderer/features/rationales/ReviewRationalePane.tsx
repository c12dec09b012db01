import type { ReactNode, RefObject } from 'react';
import type { ReviewRecord } from '../../../common/contract';
import { agentName, flagTitle } from './review-format';
import { ReviewDiff, type ReviewDiffHandle } from './ReviewDiff';

/** Changes when another record, version or draft is shown: the diff editor resets its models on it. */
export function recordKey(record: ReviewRecord | null): string {
  return record ? `${record.id}:${record.currentVersionId}:${record.draft?.updatedAt ?? ''}` : 'none';
}

/** The middle pane: which versions are compared, the quality flags, the diff editor, the reject picker, the comment. */
export function ReviewRationalePane({
  record,
  diff,
  editing,
  sideBySide,
  saved,
  onChange,
  onShown,
  picker,
  comment,
  setComment,
  onLeaveComment,
}: {
  record: ReviewRecord | null;
  diff: RefObject<ReviewDiffHandle | null>;
  editing: boolean;
  sideBySide: boolean;
  /** Draft status line ("Draft saved 12:00:01"). */
  saved: string | null;
  onChange: (text: string) => void;
  onShown: (key: string) => void;
  /** The reject-reason picker while it is open. */
  picker: ReactNode;
  comment: string;
  setComment: (v: string) => void;
  /** Escape in the comment box hands the keys back to the review. */
  onLeaveComment: () => void;
}) {
  const versions = record?.versions ?? [];
  const suggestion = versions.find((v) => v.id === record?.suggestionVersionId);
  const current = versions.find((v) => v.id === record?.currentVersionId);
  const quality = current ? record?.quality[String(current.id)] : undefined;
  const flags = quality?.flags ?? [];
  return (
    <section className="review-main" aria-label="Rationale">
      <div className="review-main-header">
        <span className="muted small">
          {suggestion ? `Suggestion v${suggestion.version} (${suggestion.agentKind}${agentName(suggestion.agent)})` : ''}
          {current && current.id !== suggestion?.id ? ` → v${current.version} (${current.agentKind}${agentName(current.agent)})` : ''}
        </span>
        <span className="spacer" />
        <span className="muted small" data-testid="draft-status">
          {saved ?? ''}
        </span>
      </div>
      {flags.length > 0 && (
        <div className="review-flags" data-testid="review-flags">
          {flags.map((f) => (
            <span key={f} className={`flag flag-${f}`} title={flagTitle(f, quality?.details)}>
              {f.replace('_', ' ')}
            </span>
          ))}
        </div>
      )}
      <ReviewDiff
        ref={diff}
        recordKey={recordKey(record)}
        original={suggestion?.text ?? ''}
        modified={record?.draft?.text ?? current?.text ?? ''}
        editing={editing}
        sideBySide={sideBySide}
        onChange={onChange}
        onShown={onShown}
      />
      {picker}
      <input
        className="input review-comment"
        placeholder="Comment (optional, saved with the next decision)"
        aria-label="Comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onLeaveComment()}
      />
    </section>
  );
}
