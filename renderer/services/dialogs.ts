import { Store } from '../state/store';

export interface DialogRequest {
  title: string;
  message: string;
  /** With a value the dialog asks for text (rename); without, it is a yes/no confirmation. */
  input?: { value: string; label: string; validate?: (v: string) => string | null };
  confirmLabel: string;
  destructive?: boolean;
  resolve: (value: string | null) => void;
}

/** In-window modal dialogs (never window.confirm/prompt: they block the page and differ between doors). */
export class DialogService {
  readonly current = new Store<DialogRequest | null>(null);

  confirm(opts: { title: string; message: string; confirmLabel: string; destructive?: boolean }): Promise<boolean> {
    return new Promise((resolve) => this.current.set({ ...opts, resolve: (v) => resolve(v !== null) }));
  }

  prompt(opts: { title: string; message: string; confirmLabel: string; input: NonNullable<DialogRequest['input']> }): Promise<string | null> {
    return new Promise((resolve) => this.current.set({ ...opts, resolve }));
  }

  close(value: string | null): void {
    const cur = this.current.get();
    this.current.set(null);
    cur?.resolve(value);
  }
}
