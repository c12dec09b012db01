import { KeybindingLabel } from '../commands/keybinding-label';
import { commandLabel } from '../commands/registry';
import { useStore } from '../state/store';
import { useServices } from './services';

const START = ['datasets.import', 'workbench.action.showCommands', 'workbench.action.toggleTheme', 'workbench.action.openSettings', 'workbench.panel.jobs'];

/** The empty editor area: what to do first, with the keybindings to learn. */
export function Welcome() {
  const s = useServices();
  const cmds = useStore(s.commands.commands);
  const info = useStore(s.info);
  return (
    <div className="welcome">
      <h1>PULSE Workbench</h1>
      <p className="muted">Thought-space recommendation with small language models{info ? ` · ${info.workspace}` : ''}</p>
      <h2>Start</h2>
      <ul className="welcome-list">
        {START.map((id) => cmds.get(id))
          .filter((c) => c !== undefined)
          .map((c) => (
            <li key={c.id}>
              <button className="link-button" onClick={() => void s.commands.run(c.id)}>
                {commandLabel(c)}
              </button>
              <KeybindingLabel keybinding={c.keybinding} />
            </li>
          ))}
      </ul>
    </div>
  );
}
