import { Store } from '../state/store';

export type PanelTab = 'jobs' | 'output';

export interface LayoutState {
  activeView: string;
  sideBarVisible: boolean;
  panelVisible: boolean;
  panelTab: PanelTab;
  paletteOpen: boolean;
}

const KEY = 'pulse.layout';

/**
 * Which view, side bar and panel are showing. Kept in localStorage: it is per window, not a workspace setting.
 * The panel is not kept: each window starts with it closed, and it opens when a job starts or on command.
 */
export class LayoutService {
  readonly state: Store<LayoutState>;

  constructor() {
    let saved: Partial<LayoutState> = {};
    try {
      saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<LayoutState>;
    } catch {
      /* a bad saved layout is simply ignored */
    }
    this.state = new Store<LayoutState>({
      activeView: saved.activeView ?? 'datasets',
      sideBarVisible: saved.sideBarVisible ?? true,
      panelVisible: false,
      panelTab: saved.panelTab ?? 'jobs',
      paletteOpen: false,
    });
    this.state.onDidChange((state) => {
      const { paletteOpen: _p, panelVisible: _v, ...rest } = state;
      localStorage.setItem(KEY, JSON.stringify(rest));
    });
  }

  /** Clicking the active view's icon hides the side bar, as in VS Code. */
  showView(id: string, toggle = false): void {
    this.state.set((s) =>
      toggle && s.activeView === id && s.sideBarVisible ? { ...s, sideBarVisible: false } : { ...s, activeView: id, sideBarVisible: true },
    );
  }
  toggleSideBar(): void {
    this.state.set((s) => ({ ...s, sideBarVisible: !s.sideBarVisible }));
  }
  togglePanel(): void {
    this.state.set((s) => ({ ...s, panelVisible: !s.panelVisible }));
  }
  showPanel(tab: PanelTab): void {
    this.state.set((s) => ({ ...s, panelVisible: true, panelTab: tab }));
  }
  setPalette(open: boolean): void {
    this.state.set((s) => ({ ...s, paletteOpen: open }));
  }
}
