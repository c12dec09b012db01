import type { ReviewAction, ReviewConfigOut } from '../../../common/contract';
import type { Command } from '../../commands/registry';
import { Emitter, toDisposable, type Event, type IDisposable } from '../../../common/event';
import { Store } from '../../state/store';
import type { Services } from '../../workbench/services';

/**
 * The review view's actions as workbench commands (ids, palette entries, keybindings). Keys come from the
 * keybindings file the host reads (docs/review.md); the commands only run while a review editor is showing, and
 * single-letter keys never fire while the annotator types in a text field or edits the rationale.
 */
export interface ReviewHandle {
  run(action: ReviewAction): void;
  /** True while the rationale is being edited (letters type; only submit and cancel keys act). */
  editing(): boolean;
  /** True while a picker (reject reasons) owns the keyboard. */
  modal(): boolean;
}

export const ACTION_TITLES: Record<ReviewAction, string> = {
  accept: 'Accept',
  reject: 'Reject…',
  flag: 'Flag',
  edit: 'Edit',
  next: 'Next Record',
  previous: 'Previous Record',
  undo: 'Undo Last Decision',
  submitEdit: 'Submit Edit',
  cancelEdit: 'Stop Editing',
};

const EDIT_ACTIONS: ReviewAction[] = ['submitEdit', 'cancelEdit'];

export class ReviewController implements IDisposable {
  readonly config = new Store<ReviewConfigOut | null>(null);
  readonly active = new Store<ReviewHandle | null>(null);
  private registration: IDisposable | null = null;
  private readonly decided = new Emitter<string>();
  /** Fires with the dataset's name after decisions were recorded (or undone) from this window: counts are stale. */
  readonly onDidDecide: Event<string> = this.decided.event;

  constructor(private readonly s: Services) {}

  async loadConfig(): Promise<ReviewConfigOut> {
    const c = await this.s.api.call('review.config.get', {});
    this.config.set(c);
    this.register(c.keybindings);
    if (c.keybindingsError) this.s.notifications.notify({ severity: 'warning', message: c.keybindingsError });
    return c;
  }

  /** Called by the views that record decisions once the host has them. */
  didDecide(dataset: string): void {
    this.decided.fire(dataset);
  }

  keyFor(action: ReviewAction): string | undefined {
    return this.config.get()?.keybindings[action];
  }

  attach(handle: ReviewHandle): IDisposable {
    this.active.set(handle);
    return toDisposable(() => {
      if (this.active.get() === handle) this.active.set(null);
    });
  }

  private register(keys: Record<ReviewAction, string>): void {
    this.registration?.dispose();
    const commands = (Object.keys(ACTION_TITLES) as ReviewAction[]).map<Command>((action) => ({
      id: `review.${action}`,
      category: 'Review',
      title: ACTION_TITLES[action],
      keybinding: keys[action],
      when: () => {
        const h = this.active.get();
        if (!h || h.modal()) return false;
        if (EDIT_ACTIONS.includes(action)) return h.editing() || (action === 'submitEdit' && !typingInField());
        return !h.editing() && !typingInField();
      },
      run: () => this.active.get()?.run(action),
    }));
    this.registration = this.s.commands.register(...commands);
  }

  dispose(): void {
    this.registration?.dispose();
  }
}

/** Focus is in a text field other than the (read-only) rationale editor. */
function typingInField(): boolean {
  const el = document.activeElement as HTMLElement | null;
  if (!el) return false;
  if (el.closest('.review-diff')) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

let controller: ReviewController | null = null;
export function reviewController(s: Services): ReviewController {
  return (controller ??= new ReviewController(s));
}
