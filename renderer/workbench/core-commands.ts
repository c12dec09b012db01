import type { Command } from '../commands/registry';
import { FEATURES } from '../features';
import { THEMES, THEME_LABELS } from '../services/settings';
import type { Services } from './services';

/** The workbench's own commands; features add theirs through Feature.commands. */
export function coreCommands(s: Services): Command[] {
  const editorOpen = () => s.editors.state.get().active !== null;
  return [
    {
      id: 'workbench.action.showCommands',
      title: 'Show All Commands',
      keybinding: 'Ctrl+Shift+P | F1',
      run: () => s.layout.setPalette(!s.layout.state.get().paletteOpen),
    },
    { id: 'workbench.action.toggleTheme', category: 'Preferences', title: 'Toggle Theme', keybinding: 'Ctrl+Alt+T', run: () => s.settings.toggleTheme() },
    ...THEMES.map<Command>((t) => ({
      id: `workbench.action.theme.${t}`,
      category: 'Preferences',
      title: `Color Theme: ${THEME_LABELS[t]}`,
      run: () => s.settings.update({ theme: t }),
    })),
    {
      id: 'workbench.action.openSettings',
      category: 'Preferences',
      title: 'Open Settings',
      keybinding: 'Ctrl+,',
      run: () => s.layout.showView('settings'),
    },
    // Ctrl+W is the desktop binding; browsers keep Ctrl+W for themselves, so Alt+W works in the browser door.
    {
      id: 'workbench.action.closeActiveEditor',
      category: 'View',
      title: 'Close Editor',
      keybinding: 'Ctrl+W | Alt+W',
      when: editorOpen,
      run: () => s.editors.close(),
    },
    { id: 'workbench.action.closeAllEditors', category: 'View', title: 'Close All Editors', when: editorOpen, run: () => s.editors.closeAll() },
    {
      id: 'workbench.action.nextEditor',
      category: 'View',
      title: 'Open Next Editor',
      keybinding: 'Ctrl+PageDown',
      when: editorOpen,
      run: () => s.editors.cycle(1),
    },
    {
      id: 'workbench.action.previousEditor',
      category: 'View',
      title: 'Open Previous Editor',
      keybinding: 'Ctrl+PageUp',
      when: editorOpen,
      run: () => s.editors.cycle(-1),
    },
    {
      id: 'workbench.action.toggleSidebarVisibility',
      category: 'View',
      title: 'Toggle Primary Side Bar',
      keybinding: 'Ctrl+B',
      run: () => s.layout.toggleSideBar(),
    },
    { id: 'workbench.action.togglePanel', category: 'View', title: 'Toggle Panel', keybinding: 'Ctrl+J', run: () => s.layout.togglePanel() },
    { id: 'workbench.panel.jobs', category: 'View', title: 'Show Jobs', keybinding: 'Ctrl+Alt+J', run: () => s.layout.showPanel('jobs') },
    { id: 'workbench.panel.output', category: 'View', title: 'Show Output', keybinding: 'Ctrl+Alt+O', run: () => s.layout.showPanel('output') },
    ...FEATURES.map<Command>((f, i) => ({
      id: `workbench.view.${f.id}`,
      category: 'View',
      title: `Show ${f.title}`,
      keybinding: `Alt+${i + 1}`,
      run: () => s.layout.showView(f.id),
    })),
    {
      id: 'jobs.cancelRunning',
      category: 'Jobs',
      title: 'Cancel Running Job',
      when: () => s.jobs.running().length > 0,
      run: async () => {
        const j = s.jobs.running()[0];
        if (j) await s.jobs.cancel(j.id);
      },
    },
    {
      id: 'jobs.resumeInterrupted',
      category: 'Jobs',
      title: 'Resume Interrupted Jobs',
      when: () => s.jobs.list().some((j) => j.state === 'interrupted'),
      run: async () => {
        for (const j of s.jobs.list().filter((x) => x.state === 'interrupted')) await s.jobs.resume(j.id);
      },
    },
    {
      id: 'workspace.switch',
      category: 'Workspace',
      title: 'Switch Workspace…',
      run: async () => {
        const info = await s.api.call('app.info', {});
        const dir = await s.dialogs.prompt({
          title: 'Switch workspace',
          message: 'A folder on the host: an existing workspace, or an empty folder for a new one. Running jobs are stopped first.',
          confirmLabel: 'Switch',
          input: { value: info.workspace, label: 'Workspace folder', validate: (v) => (v.trim() ? null : 'A folder is required') },
        });
        if (!dir || dir.trim() === info.workspace) return;
        const r = await s.api.call('workspace.switch', { dir: dir.trim() });
        s.notifications.info(`Workspace: ${r.workspace}`);
      },
    },
    {
      id: 'workspace.backup',
      category: 'Workspace',
      title: 'Back Up Workspace…',
      run: async () => {
        const info = await s.api.call('app.info', {});
        const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
        const file = await s.dialogs.prompt({
          title: 'Back up workspace',
          message: "A consistent copy of the workspace's database, safe while jobs run.",
          confirmLabel: 'Back Up',
          input: {
            value: `${info.workspace}-backup-${stamp}.sqlite`,
            label: 'Backup file on the host',
            validate: (v) => (v.trim() ? null : 'A file is required'),
          },
        });
        if (!file) return;
        const r = await s.api.call('workspace.backup', { file: file.trim() });
        s.notifications.info(`Backed up to ${r.file} (${Math.round(r.bytes / 1024)} KiB).`);
      },
    },
    { id: 'output.clear', category: 'Output', title: 'Clear Output', run: () => s.logs.clear() },
    { id: 'notifications.clearAll', category: 'Notifications', title: 'Clear All Notifications', run: () => s.notifications.clear() },
    { id: 'workbench.action.reloadWindow', category: 'Developer', title: 'Reload Window', run: () => window.location.reload() },
  ];
}
