import { toDisposable, type IDisposable } from '../../common/event';
import { Store } from '../state/store';

/** Every user action: an id, a title for the palette, an optional keybinding ("Ctrl+Shift+P"). */
export interface Command {
  id: string;
  title: string;
  category?: string;
  keybinding?: string;
  /** Hidden from the palette when false (the command still runs by keybinding or button when enabled). */
  when?: () => boolean;
  run: () => unknown;
}

export function commandLabel(c: Command): string {
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

/** Normalises "ctrl+shift+p" and KeyboardEvents to one form, "Ctrl+Shift+P". Meta counts as Ctrl (macOS). */
export function normaliseChord(chord: string): string {
  const parts = chord.split('+').map((p) => p.trim());
  const key = parts.pop() ?? '';
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return [mods.has('ctrl') || mods.has('cmd') || mods.has('meta') ? 'Ctrl' : '', mods.has('alt') ? 'Alt' : '', mods.has('shift') ? 'Shift' : '', keyName(key)]
    .filter(Boolean)
    .join('+');
}

function keyName(key: string): string {
  if (key.length === 1) return key.toUpperCase();
  const k = key.toLowerCase();
  const named: Record<string, string> = {
    escape: 'Escape',
    esc: 'Escape',
    enter: 'Enter',
    pageup: 'PageUp',
    pagedown: 'PageDown',
    comma: ',',
    backquote: '`',
    tab: 'Tab',
    delete: 'Delete',
    f1: 'F1',
    f2: 'F2',
  };
  return named[k] ?? key;
}

export function chordFromEvent(e: KeyboardEvent): string | null {
  if (['Control', 'Shift', 'Alt', 'Meta'].includes(e.key)) return null;
  // e.code survives Shift and keyboard layouts for letters and digits ("KeyP", "Digit1").
  let key = e.key;
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3);
  else if (/^Digit[0-9]$/.test(e.code)) key = e.code.slice(5);
  else if (e.code === 'Comma') key = ',';
  else if (e.code === 'Backquote') key = '`';
  const mods = [e.ctrlKey || e.metaKey ? 'Ctrl' : '', e.altKey ? 'Alt' : '', e.shiftKey ? 'Shift' : ''].filter(Boolean);
  return [...mods, keyName(key)].join('+');
}

export class CommandRegistry {
  readonly commands = new Store<ReadonlyMap<string, Command>>(new Map());
  /** Most recently run first; the palette lists these on top like VS Code's "recently used". */
  readonly recent = new Store<string[]>([]);
  private onError: (err: unknown) => void = (err) => console.error(err);

  setErrorHandler(handler: (err: unknown) => void): void {
    this.onError = handler;
  }

  register(...cmds: Command[]): IDisposable {
    this.commands.set((prev) => {
      const next = new Map(prev);
      for (const c of cmds) next.set(c.id, c);
      return next;
    });
    return toDisposable(() =>
      this.commands.set((prev) => {
        const next = new Map(prev);
        for (const c of cmds) if (next.get(c.id) === c) next.delete(c.id);
        return next;
      }),
    );
  }

  get(id: string): Command | undefined {
    return this.commands.get().get(id);
  }

  keybindingFor(id: string): string | undefined {
    return this.get(id)?.keybinding;
  }

  async run(id: string): Promise<void> {
    const c = this.get(id);
    if (!c) {
      this.onError(new Error(`Unknown command "${id}".`));
      return;
    }
    this.recent.set((r) => [id, ...r.filter((x) => x !== id)].slice(0, 8));
    try {
      await c.run();
    } catch (err) {
      this.onError(err);
    }
  }

  /** Runs the command bound to the event's chord; returns true when one matched. */
  dispatch(e: KeyboardEvent): boolean {
    const chord = chordFromEvent(e);
    if (!chord) return false;
    for (const c of this.commands.get().values()) {
      if (!c.keybinding) continue;
      const bindings = c.keybinding.split(/\s*\|\s*/).map(normaliseChord);
      if (bindings.includes(chord) && (!c.when || c.when())) {
        e.preventDefault();
        e.stopPropagation();
        void this.run(c.id);
        return true;
      }
    }
    return false;
  }
}
