import type { ReviewAction } from '../../../common/contract';
import { KeybindingLabel } from '../../commands/keybinding-label';
import { ACTION_TITLES } from './review-controller';

const DECISION_KEYS: ReviewAction[] = ['accept', 'edit', 'reject', 'flag', 'undo', 'previous', 'next'];

/** The decision buttons with their keys, the edit buttons while editing, and the side-by-side switch. */
export function ReviewKeys({
  keyOf,
  hasRecord,
  canSubmit,
  editing,
  run,
  sideBySide,
  setSideBySide,
}: {
  keyOf: (a: ReviewAction) => string | undefined;
  hasRecord: boolean;
  canSubmit: boolean;
  editing: boolean;
  run: (a: ReviewAction) => void;
  sideBySide: boolean;
  setSideBySide: (v: boolean) => void;
}) {
  return (
    <div className="review-keys" role="toolbar" aria-label="Decision keys">
      {DECISION_KEYS.map((a) => (
        <button
          key={a}
          className={`button small ${a === 'accept' ? '' : 'secondary'}`}
          disabled={!hasRecord && a !== 'undo'}
          onClick={() => run(a)}
          data-action={a}
        >
          {ACTION_TITLES[a]} <KeybindingLabel keybinding={keyOf(a)} />
        </button>
      ))}
      {canSubmit && (
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
  );
}
