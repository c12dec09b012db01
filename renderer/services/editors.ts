import { Store } from '../state/store';

/** Something open in the editor area. `id` makes opening the same thing twice focus the existing tab. */
export interface EditorInput {
  id: string;
  /** Which editor renders it (registered by a feature: "dataset", "dataset.import", "job"...). */
  kind: string;
  title: string;
  /** Shown as the tab's tooltip. */
  description?: string;
  data?: unknown;
}

export interface EditorState {
  tabs: EditorInput[];
  active: string | null;
}

export class EditorService {
  readonly state = new Store<EditorState>({ tabs: [], active: null });

  open(input: EditorInput): void {
    this.state.set((s) => {
      const i = s.tabs.findIndex((t) => t.id === input.id);
      if (i >= 0) {
        const tabs = [...s.tabs];
        tabs[i] = { ...tabs[i]!, ...input };
        return { tabs, active: input.id };
      }
      const at = s.active ? s.tabs.findIndex((t) => t.id === s.active) + 1 : s.tabs.length;
      return { tabs: [...s.tabs.slice(0, at), input, ...s.tabs.slice(at)], active: input.id };
    });
  }

  activate(id: string): void {
    this.state.set((s) => (s.tabs.some((t) => t.id === id) ? { ...s, active: id } : s));
  }

  close(id: string | null = this.state.get().active): void {
    if (!id) return;
    this.state.set((s) => {
      const i = s.tabs.findIndex((t) => t.id === id);
      if (i < 0) return s;
      const tabs = s.tabs.filter((t) => t.id !== id);
      const active = s.active === id ? (tabs[Math.min(i, tabs.length - 1)]?.id ?? null) : s.active;
      return { tabs, active };
    });
  }

  closeWhere(pred: (t: EditorInput) => boolean): void {
    for (const t of this.state.get().tabs.filter(pred)) this.close(t.id);
  }

  closeAll(): void {
    this.state.set({ tabs: [], active: null });
  }

  cycle(delta: 1 | -1): void {
    this.state.set((s) => {
      if (s.tabs.length < 2) return s;
      const i = s.tabs.findIndex((t) => t.id === s.active);
      const next = s.tabs[(i + delta + s.tabs.length) % s.tabs.length]!;
      return { ...s, active: next.id };
    });
  }
}
