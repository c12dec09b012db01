import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Queue, ReviewAction, ReviewRecord } from '../../../preload/contract';
import { KeybindingLabel } from '../../commands/keybinding-label';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import type { EditorProps } from '../feature';
import { Guidelines } from './Guidelines';
import { ACTION_TITLES, reviewController } from './review-controller';
import { ReviewDiff, type ReviewDiffHandle } from './ReviewDiff';

export interface ReviewInput {
  dataset: string;
  queue: Queue;
  /** Open this record first (from the bulk view). */
  id?: number;
}

const AUTOSAVE_MS = 300;
const DECISION_KEYS: ReviewAction[] = ['accept', 'edit', 'reject', 'flag', 'undo', 'previous', 'next'];

/**
 * One record at a time: the user's history and the target on the left, the rationale in monaco (diff against
 * the model's suggestion) in the middle, guidelines and history of the record on the right. Decisions come back
 * with the next record of the queue in the same call; edits are saved on the host as drafts while typing.
 */
export default function ReviewEditor({ input }: EditorProps) {
  const data = input.data as ReviewInput;
  const s = useServices();
  const ctl = reviewController(s);
  const config = useStore(ctl.config);
  const annotator = useStore(s.settings.settings)?.annotator ?? '';
  const [record, setRecord] = useState<ReviewRecord | null>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const [empty, setEmpty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [picker, setPicker] = useState(false);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [sideBySide, setSideBySide] = useState(false);
  const [shownKey, setShownKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [guidelinesEdit, setGuidelinesEdit] = useState<string | null>(null);
  const diff = useRef<ReviewDiffHandle>(null);
  const root = useRef<HTMLDivElement>(null);
  const visited = useRef<number[]>([]);
  const shownAt = useRef(performance.now());
  const pendingSave = useRef<{ timer: ReturnType<typeof setTimeout>; run: () => Promise<void> } | null>(null);
  const state = useRef({ record, editing, picker, busy });
  state.current = { record, editing, picker, busy };

  const report = useCallback((e: unknown) => s.notifications.error(e), [s]);

  useEffect(() => {
    if (!ctl.config.get()) ctl.loadConfig().catch(report);
  }, [ctl, report]);

  const show = useCallback((r: ReviewRecord | null, rem?: number) => {
    if (rem !== undefined) setRemaining(rem);
    setPicker(false);
    setComment('');
    setEditing(false);
    setSaved(r?.draft ? `Draft restored (${r.draft.updatedAt.slice(11, 19)})` : null);
    setRecord(r);
    setEmpty(r === null);
    if (r) {
      const v = visited.current;
      if (v.at(-1) !== r.id) v.push(r.id);
    }
    shownAt.current = performance.now();
    root.current?.focus({ preventScroll: true });
  }, []);

  // The record after this one, fetched while the annotator reads: a decision then shows it at once and is saved
  // right behind it (data-busy), or the record comes back if the host refuses the decision.
  const prefetch = useRef<{ after: number; result: { record: ReviewRecord | null; remaining: number } | null } | null>(null);
  const recordId = record?.id;
  useEffect(() => {
    if (recordId === undefined || !annotator) return;
    const entry: { after: number; result: { record: ReviewRecord | null; remaining: number } | null } = { after: recordId, result: null };
    prefetch.current = entry;
    s.api.call('review.next', { dataset: data.dataset, annotator, queue: data.queue, after: recordId }).then(
      (n) => (entry.result = n),
      () => undefined,
    );
  }, [recordId, annotator, data.dataset, data.queue, s]);

  // First record.
  useEffect(() => {
    if (!annotator) return;
    const first =
      data.id !== undefined
        ? s.api.call('review.get', { id: data.id, annotator }).then((r) => ({ record: r, remaining: undefined }))
        : s.api.call('review.next', { dataset: data.dataset, annotator, queue: data.queue });
    first.then(
      (n) => show(n.record, n.remaining),
      (e: Error) => setError(e.message),
    );
  }, [annotator, data.dataset, data.queue, data.id, s, show]);

  const flushDraft = useCallback(async () => {
    const p = pendingSave.current;
    if (!p) return;
    clearTimeout(p.timer);
    pendingSave.current = null;
    await p.run();
  }, []);

  const onChange = useCallback(
    (text: string) => {
      const r = state.current.record;
      if (!r || !state.current.editing) return;
      if (pendingSave.current) clearTimeout(pendingSave.current.timer);
      const run = async () => {
        const { savedAt } = await s.api.call('review.draft.save', { id: r.id, annotator, baseVersionId: r.currentVersionId, text });
        setSaved(`Draft saved ${savedAt.slice(11, 19)}`);
      };
      pendingSave.current = { timer: setTimeout(() => void flushDraft().catch(report), AUTOSAVE_MS), run };
    },
    [annotator, s, flushDraft, report],
  );

  // Unsaved keystrokes are saved when the editor closes too.
  useEffect(() => () => void flushDraft().catch(() => undefined), [flushDraft]);

  const decide = useCallback(
    async (decision: 'accepted' | 'edited' | 'rejected' | 'flagged', extra: { text?: string; reason?: string } = {}) => {
      const r = state.current.record;
      if (!r || state.current.busy) return;
      setBusy(true);
      try {
        if (decision === 'edited') await flushDraft();
        else if (pendingSave.current) {
          clearTimeout(pendingSave.current.timer);
          pendingSave.current = null;
        }
        const input = {
          id: r.id,
          annotator,
          decision,
          versionId: r.currentVersionId,
          ...extra,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
          ms: Math.round(performance.now() - shownAt.current),
        };
        const pf = prefetch.current;
        const next = decision !== 'edited' && pf?.after === r.id ? pf.result : null;
        if (next?.record && next.record.id !== r.id) {
          prefetch.current = null;
          show(next.record, data.queue === 'pending' ? Math.max(0, next.remaining - 1) : undefined);
          try {
            await s.api.call('review.decide', input);
          } catch (e) {
            report(e);
            show(await s.api.call('review.get', { id: r.id, annotator }));
          }
          return;
        }
        const res = await s.api.call('review.decide', { ...input, next: { queue: data.queue, after: r.id } });
        show(res.next?.record ?? null, res.next?.remaining);
      } catch (e) {
        report(e);
      } finally {
        setBusy(false);
      }
    },
    [annotator, comment, data.queue, s, show, report, flushDraft],
  );

  const run = useCallback(
    (action: ReviewAction) => {
      const r = state.current.record;
      switch (action) {
        case 'accept':
          void decide('accepted');
          break;
        case 'reject':
          if (r) setPicker(true);
          break;
        case 'flag':
          void decide('flagged');
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
          if (!state.current.editing && !r.draft) break;
          void decide(text === current ? 'accepted' : 'edited', text === current ? {} : { text });
          break;
        }
        case 'cancelEdit':
          setEditing(false);
          void flushDraft().catch(report);
          root.current?.focus({ preventScroll: true });
          break;
        case 'next':
          if (!r) break;
          s.api.call('review.next', { dataset: data.dataset, annotator, queue: data.queue, after: r.id }).then((n) => show(n.record, n.remaining), report);
          break;
        case 'previous': {
          const v = visited.current;
          if (v.length < 2) break;
          v.pop();
          const id = v.at(-1)!;
          s.api.call('review.get', { id, annotator }).then((rec) => show(rec), report);
          break;
        }
        case 'undo':
          s.api.call('review.undo', { annotator }).then((u) => {
            if (!u.undone) s.notifications.info('Nothing to undo.');
            else {
              show(u.record);
              setRemaining((n) => (n === null ? n : n + 1));
            }
          }, report);
          break;
      }
    },
    [annotator, data.dataset, data.queue, decide, s, show, report, flushDraft],
  );

  useEffect(() => {
    const d = ctl.attach({
      run,
      editing: () => state.current.editing,
      modal: () => state.current.picker || guidelinesEdit !== null,
    });
    return () => d.dispose();
  }, [ctl, run, guidelinesEdit]);

  const chooseReason = (reason: string) => {
    setPicker(false);
    void decide('rejected', { reason });
  };

  const versions = record?.versions ?? [];
  const suggestion = versions.find((v) => v.id === record?.suggestionVersionId);
  const current = versions.find((v) => v.id === record?.currentVersionId);
  const modifiedText = record?.draft?.text ?? current?.text ?? '';
  const recordKey = record ? `${record.id}:${record.currentVersionId}:${record.draft?.updatedAt ?? ''}` : 'none';
  const flags = current ? (record?.quality[String(current.id)]?.flags ?? []) : [];
  const qualityDetails = current ? record?.quality[String(current.id)]?.details : undefined;
  const keyOf = (a: ReviewAction) => config?.keybindings[a];
  const reasons = config?.rejectReasons ?? [];

  const historyRows = useMemo(() => record?.history ?? [], [record]);

  if (error)
    return (
      <div className="error-box" role="alert">
        {error}
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
      data-shown={shownKey === recordKey ? String(record?.id ?? '') : ''}
      data-status={record?.status ?? ''}
      data-editing={editing}
      data-busy={busy}
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
        <span className="muted small" data-testid="review-remaining">
          {remaining !== null ? `${remaining.toLocaleString()} in “${data.queue}” queue` : ''}
        </span>
      </header>

      <div className="review-keys" role="toolbar" aria-label="Decision keys">
        {DECISION_KEYS.map((a) => (
          <button
            key={a}
            className={`button small ${a === 'accept' ? '' : 'secondary'}`}
            disabled={!record && a !== 'undo'}
            onClick={() => run(a)}
            data-action={a}
          >
            {ACTION_TITLES[a]} <KeybindingLabel keybinding={keyOf(a)} />
          </button>
        ))}
        {(editing || record?.draft) && (
          <button className="button small" onClick={() => run('submitEdit')} data-action="submitEdit">
            Submit Edit <KeybindingLabel keybinding={keyOf('submitEdit')} />
          </button>
        )}
        {editing && (
          <button className="button small secondary" onClick={() => run('cancelEdit')} data-action="cancelEdit">
            Stop Editing <KeybindingLabel keybinding={keyOf('cancelEdit')} />
          </button>
        )}
        <span className="spacer" />
        <label className="field-inline small">
          <input type="checkbox" checked={sideBySide} onChange={(e) => setSideBySide(e.target.checked)} /> Side by side
        </label>
      </div>

      {empty && !record ? (
        <div className="empty-state" data-testid="review-empty">
          The “{data.queue}” queue is empty. Undo brings back your last decision.
        </div>
      ) : (
        <div className="review-body">
          {/* Focusable so that the keyboard can scroll a long history (axe: scrollable-region-focusable). */}
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
            <h2>History before it ({historyRows.length})</h2>
            <ol className="review-history" data-testid="review-history">
              {historyRows.map((h) => (
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
                  <span key={f} className={`flag flag-${f}`} title={flagTitle(f, qualityDetails)}>
                    {f.replace('_', ' ')}
                  </span>
                ))}
              </div>
            )}
            <ReviewDiff
              ref={diff}
              recordKey={recordKey}
              original={suggestion?.text ?? ''}
              modified={modifiedText}
              editing={editing}
              sideBySide={sideBySide}
              onChange={onChange}
              onShown={setShownKey}
            />
            {picker && (
              <ReasonPicker
                reasons={reasons}
                onChoose={chooseReason}
                onCancel={() => {
                  setPicker(false);
                  root.current?.focus({ preventScroll: true });
                }}
              />
            )}
            <input
              className="input review-comment"
              placeholder="Comment (optional, saved with the next decision)"
              aria-label="Comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && root.current?.focus()}
            />
          </section>

          <aside className="review-side">
            <h2>
              Guidelines{' '}
              <button className="link-button small" onClick={() => setGuidelinesEdit(config?.guidelines ?? '')}>
                edit
              </button>
            </h2>
            {guidelinesEdit !== null ? (
              <div className="guidelines-edit">
                <textarea
                  className="input"
                  aria-label="Guidelines (Markdown)"
                  value={guidelinesEdit}
                  onChange={(e) => setGuidelinesEdit(e.target.value)}
                  rows={14}
                />
                <div className="row-actions">
                  <button
                    className="button small"
                    onClick={() =>
                      s.api.call('review.config.update', { guidelines: guidelinesEdit }).then((c) => {
                        ctl.config.set(c);
                        setGuidelinesEdit(null);
                      }, report)
                    }
                  >
                    Save
                  </button>
                  <button className="button small secondary" onClick={() => setGuidelinesEdit(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <Guidelines text={config?.guidelines ?? ''} />
            )}
            <h2>History of this record</h2>
            <ul className="review-log" data-testid="review-log">
              {versions.map((v) => (
                <li key={`v${v.id}`} className={v.id === record?.currentVersionId ? 'strong' : ''}>
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
        </div>
      )}
    </div>
  );
}

function agentName(agent: Record<string, unknown>): string {
  const model = (agent.model as { name?: string } | undefined)?.name ?? (agent.drafter as string | undefined) ?? (agent.annotator as string | undefined);
  return model ? `: ${model}` : '';
}

function flagTitle(flag: string, details: Record<string, unknown> | undefined): string {
  if (!details) return flag;
  if (flag === 'invalid') return String(details.invalid ?? flag);
  if (flag === 'too_short' || flag === 'too_long') return `${String(details.words)} words`;
  if (flag === 'leakage') return `Names a held-out item: ${JSON.stringify(details.leakage)}`;
  if (flag === 'unknown_item') return `Names items not in the history: ${JSON.stringify(details.unknownItems)}`;
  if (flag === 'near_duplicate') return `Near-duplicate of versions ${JSON.stringify(details.nearDuplicates)}`;
  return flag;
}

/** The reject reasons, numbered: a digit picks one, arrows and Enter work too, Escape cancels. */
function ReasonPicker({ reasons, onChoose, onCancel }: { reasons: string[]; onChoose(r: string): void; onCancel(): void }) {
  const [i, setI] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => list.current?.focus(), []);
  return (
    <div className="reason-picker" role="dialog" aria-label="Reject reason">
      <div className="strong">Why reject? Press a number.</div>
      <ul
        ref={list}
        role="listbox"
        tabIndex={0}
        aria-label="Reject reasons"
        onKeyDown={(e) => {
          e.stopPropagation();
          const n = Number(e.key);
          if (Number.isInteger(n) && n >= 1 && n <= reasons.length) onChoose(reasons[n - 1]!);
          else if (e.key === 'ArrowDown') setI((x) => Math.min(reasons.length - 1, x + 1));
          else if (e.key === 'ArrowUp') setI((x) => Math.max(0, x - 1));
          else if (e.key === 'Enter') onChoose(reasons[i]!);
          else if (e.key === 'Escape') onCancel();
          e.preventDefault();
        }}
      >
        {reasons.map((r, k) => (
          <li key={r} role="option" aria-selected={k === i} className={k === i ? 'selected' : ''} onClick={() => onChoose(r)}>
            <kbd>{k + 1}</kbd> {r}
          </li>
        ))}
      </ul>
    </div>
  );
}
