import { useEffect } from 'react';
import { FEATURES } from '../features';
import { useStore } from '../state/store';
import { ActivityBar } from './ActivityBar';
import { CommandPalette } from './CommandPalette';
import { DialogHost } from './DialogHost';
import { EditorArea } from './EditorArea';
import { Notifications } from './Notifications';
import { Panel } from './Panel';
import { useServices } from './services';
import { StatusBar } from './StatusBar';

export function Workbench() {
  const s = useServices();
  const layout = useStore(s.layout.state);
  const feature = FEATURES.find((f) => f.id === layout.activeView) ?? FEATURES[0]!;

  useEffect(() => {
    // Capture phase, so keybindings work while focus is in an input (like VS Code), except plain typing.
    const onKey = (e: KeyboardEvent) => {
      if (s.dialogs.current.get()) return;
      s.commands.dispatch(e);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [s]);

  return (
    <div className="workbench">
      <div className="workbench-body">
        <ActivityBar />
        {layout.sideBarVisible && (
          <aside className="sidebar" aria-label={`${feature.title} view`}>
            <div className="sidebar-title">{feature.title.toUpperCase()}</div>
            <div className="sidebar-content">
              <feature.SideBar />
            </div>
          </aside>
        )}
        <main className="main-area">
          <EditorArea />
          {layout.panelVisible && <Panel />}
        </main>
      </div>
      <StatusBar />
      <CommandPalette />
      <Notifications />
      <DialogHost />
    </div>
  );
}
