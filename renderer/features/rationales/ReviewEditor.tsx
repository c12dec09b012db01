import { useCallback, useEffect, useRef, useState } from 'react';
import type { Queue, ReviewAction, ReviewRecord } from '../../../common/contract';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import type { EditorProps } from '../feature';
import { ReasonPicker } from './ReasonPicker';
import { reviewController } from './review-controller';
import { ReviewContextPane } from './ReviewContextPane';
import type { ReviewDiffHandle } from './ReviewDiff';
import { ReviewKeys } from './ReviewKeys';
import { recordKey, ReviewRationalePane } from './ReviewRationalePane';
import { ReviewSidePane } from './ReviewSidePane';
import { useDraftAutosave } from './use-draft-autosave';
import { useReviewQueue } from './use-review-queue';

export interface ReviewInput {
  dataset: string;
  queue: Queue;
  /** Open this record first (from the bulk view). */
  id?: number;
}

/**
 * One record at a time: the user's history and the target on the left, the rationale in monaco (diff against
 * the model's suggestion) in the middle, guidelines and history of the record on the right. The queue and the
 * decisions live in useReviewQueue, draft saving in useDraftAutosave; this component holds the form around them
 * and maps the review actions (keys, buttons) onto them.
 */
export default function ReviewEditor({ input }: EditorProps) {
  const data = input.data as ReviewInput;
  const s = useServices();
  const ctl = reviewController(s);
  const config = useStore(ctl.config);
  const annotator = useStore(s.settings.settings)?.annotator ?? '';
  const [editing, setEditing] = useState(false);
  const [picker, setPicker] = useState(false);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [sideBySide, setSideBySide] = useState(false);
  const [shownKey, setShownKey] = useState('');
  const [guidelinesEdit, setGuidelinesEdit] = useState<string | null>(null);
  const diff = useRef<ReviewDiffHandle>(null);
  const root = useRef<HTMLDivElement>(null);
  // What the callbacks below read when a key arrives (they are not re-created on every render).
  const live = useRef<{ record: ReviewRecord | null; editing: boolean; picker: boolean }>({ record: null, editing, picker });

  const report = useCallback((e: unknown) => s.notifications.error(e), [s]);

  useEffect(() => {
    if (!ctl.config.get()) ctl.loadConfig().catch(report);
  }, [ctl, report]);

  const onShow = useCallback((r: ReviewRecord | null) => {
    setPicker(false);
    setComment('');
    setEditing(false);
    setSaved(r?.draft ? `Draft restored (${r.draft.updatedAt.slice(11, 19)})` : null);
    root.current?.focus({ preventScroll: true });
  }, []);
  const readLive = useCallback(() => live.current, []);
  const drafts = useDraftAutosave({ annotator, live: readLive, onSaved: setSaved, report });
  const q = useReviewQueue({ dataset: data.dataset, queue: data.queue, id: data.id, annotator, onShow, drafts, report });
  const { record, decide, next, previous, undo } = q;
  const { onChange: onDraftChange, flush: flushDraft } = drafts;
  live.current = { record, editing, picker };

  const withComment = useCallback(
    (extra: { text?: string; reason?: string } = {}) => ({ ...extra, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    [comment],
  );

  const run = useCallback(
    (action: ReviewAction) => {
      const r = live.current.record;
      switch (action) {
        case 'accept':
          void decide('accepted', withComment());
          break;
        case 'reject':
          if (r) setPicker(true);
          break;
        case 'flag':
          void decide('flagged', withComment());
          break;
        case 'edit':
          if (!r) break;
          setEditing(true);
          requestAnimationFrame(() => diff.current?.focus());
          break;
        case 'submitEdit': {
          if (!r) break;
          const text = diff.current?.value() ?? '';
          const current = r.versions.find((v) => v.id === r.currentVersionId)?.text ?? '';
          if (!live.current.editing && !r.draft) break;
          void decide(text === current ? 'accepted' : 'edited', withComment(text === current ? {} : { text }));
          break;
        }
        case 'cancelEdit':
          setEditing(false);
          void flushDraft().catch(report);
          root.current?.focus({ preventScroll: true });
          break;
        case 'next':
          next();
          break;
        case 'previous':
          previous();
          break;
        case 'undo':
          undo();
          break;
      }
    },
    [decide, next, previous, undo, withComment, flushDraft, report],
  );

  useEffect(() => {
    const d = ctl.attach({
      run,
      editing: () => live.current.editing,
      modal: () => live.current.picker || guidelinesEdit !== null,
    });
    return () => d.dispose();
  }, [ctl, run, guidelinesEdit]);

  const chooseReason = (reason: string) => {
    setPicker(false);
    void decide('rejected', withComment({ reason }));
  };
  const cancelPicker = () => {
    setPicker(false);
    root.current?.focus({ preventScroll: true });
  };

  const keyOf = (a: ReviewAction) => config?.keybindings[a];

  if (q.error)
    return (
      <div className="error-box" role="alert">
        {q.error}
      </div>
    );
  if (!annotator) return <div className="empty-state">Set your annotator name in Settings to start reviewing.</div>;

  return (
    <div
      className="editor-page review-editor"
      ref={root}
      tabIndex={-1}
      data-testid="review-editor"
      data-record-id={record?.id ?? ''}
      data-shown={shownKey === recordKey(record) ? String(record?.id ?? '') : ''}
      data-status={record?.status ?? ''}
      data-editing={editing}
      data-busy={q.busy}
    >
      <header className="page-header review-header">
        <h1>
          Review · {data.dataset}
          {record && (
            <span className="muted small">
              {' '}
              · record #{record.id} · user {record.user.originalId}
            </span>
          )}
        </h1>
        {record && (
          <span className={`review-status status-${record.status}`} data-testid="review-status">
            {record.status}
          </span>
        )}
        <span className="spacer" />
        <span className="muted small" data-testid="review-remaining" data-remaining={q.remaining ?? ''}>
          {q.remaining !== null ? `${q.remaining.toLocaleString()} in “${data.queue}” queue` : ''}
        </span>
      </header>

      <ReviewKeys
        keyOf={keyOf}
        hasRecord={record !== null}
        canSubmit={editing || !!record?.draft}
        editing={editing}
        run={run}
        sideBySide={sideBySide}
        setSideBySide={setSideBySide}
      />

      {q.empty && !record ? (
        <div className="empty-state" data-testid="review-empty">
          The “{data.queue}” queue is empty. Undo brings back your last decision.
        </div>
      ) : (
        <div className="review-body">
          <ReviewContextPane record={record} />

          <ReviewRationalePane
            record={record}
            diff={diff}
            editing={editing}
            sideBySide={sideBySide}
            saved={saved}
            onChange={onDraftChange}
            onShown={setShownKey}
            picker={picker && <ReasonPicker reasons={config?.rejectReasons ?? []} onChoose={chooseReason} onCancel={cancelPicker} />}
            comment={comment}
            setComment={setComment}
            onLeaveComment={() => root.current?.focus()}
          />

          <ReviewSidePane record={record} draft={guidelinesEdit} setDraft={setGuidelinesEdit} />
        </div>
      )}
    </div>
  );
}
