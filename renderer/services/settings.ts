import type { Settings } from '../../common/contract';
import type { ClientApi } from '../api/client';
import { Store } from '../state/store';

export type Theme = Settings['theme'];
export const THEMES: Theme[] = ['dark', 'light', 'high-contrast'];
export const THEME_LABELS: Record<Theme, string> = { dark: 'Dark', light: 'Light', 'high-contrast': 'High Contrast' };

const THEME_CACHE = 'pulse.theme';

/** Workspace settings (settings.get/update). The theme is also cached locally so the first paint is right. */
export class SettingsService {
  readonly settings = new Store<Settings | null>(null);

  constructor(private readonly api: ClientApi) {
    const cached = localStorage.getItem(THEME_CACHE) as Theme | null;
    if (cached && THEMES.includes(cached)) applyTheme(cached);
    this.settings.onDidChange((s) => {
      if (s) {
        applyTheme(s.theme);
        localStorage.setItem(THEME_CACHE, s.theme);
      }
    });
  }

  async load(): Promise<void> {
    this.settings.set(await this.api.call('settings.get', {}));
  }

  async update(patch: Partial<Settings>): Promise<void> {
    // Optimistic, so the theme switches at once; the host's answer is the truth.
    const prev = this.settings.get();
    if (prev) this.settings.set({ ...prev, ...patch });
    try {
      this.settings.set(await this.api.call('settings.update', patch));
    } catch (err) {
      this.settings.set(prev);
      throw err;
    }
  }

  async toggleTheme(): Promise<void> {
    const cur = this.settings.get()?.theme ?? currentTheme();
    await this.update({ theme: THEMES[(THEMES.indexOf(cur) + 1) % THEMES.length]! });
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme === 'light' ? 'light' : 'dark';
}

export function currentTheme(): Theme {
  return (document.documentElement.dataset.theme as Theme | undefined) ?? 'dark';
}
