import { FEATURES } from '../features';
import { useStore } from '../state/store';
import { useServices } from './services';

export function ActivityBar() {
  const s = useServices();
  const layout = useStore(s.layout.state);
  useStore(s.commands.commands);
  const item = (f: (typeof FEATURES)[number]) => {
    const active = layout.sideBarVisible && layout.activeView === f.id;
    const kb = s.commands.keybindingFor(`workbench.view.${f.id}`);
    return (
      <button
        key={f.id}
        className={`activity-item${active ? ' active' : ''}`}
        title={kb ? `${f.title} (${kb})` : f.title}
        aria-label={f.title}
        aria-pressed={active}
        data-view={f.id}
        onClick={() => s.layout.showView(f.id, true)}
      >
        <f.icon />
      </button>
    );
  };
  return (
    <nav className="activitybar" aria-label="Views">
      <div className="activity-top">{FEATURES.filter((f) => !f.bottom).map(item)}</div>
      <div className="activity-bottom">{FEATURES.filter((f) => f.bottom).map(item)}</div>
    </nav>
  );
}
