import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import { openAsk, openCompare, openQa, openTree } from './commands';

/** Entry points to the reasoning feature's four editors, with their keybindings. */
export function ReasoningSideBar() {
  const s = useServices();
  useStore(s.commands.commands);
  const kb = (id: string) => s.commands.keybindingFor(id);
  const item = (id: string, title: string, what: string, open: () => void) => (
    <li
      key={id}
      role="option"
      aria-selected={false}
      tabIndex={0}
      className="list-item"
      data-command={id}
      onClick={open}
      onKeyDown={(e) => e.key === 'Enter' && open()}
      title={kb(id) ? `${title} (${kb(id)})` : title}
    >
      <div className="list-item-main">
        <span className="list-item-title">{title}</span>
        {kb(id) && <span className="list-item-meta">{kb(id)}</span>}
      </div>
      <div className="list-item-sub">
        <span>{what}</span>
      </div>
    </li>
  );
  return (
    <div className="reasoning-sidebar">
      <ul className="list" role="listbox" aria-label="Reasoning">
        {item('reasoning.ask', 'Ask About a User', 'A free question, answered from the history and nearest rationales, streamed.', () => openAsk(s))}
        {item('reasoning.compare', 'Compare Settings', 'With or without rationales, two models: side by side.', () => openCompare(s))}
        {item('reasoning.qa', 'Question Answering', 'HotpotQA-form file or the demo: EM/F1 with and without reasoning.', () => openQa(s))}
        {item('reasoning.tree', 'Refinement Tree', 'Tree-of-Thought chains, scores and the winner.', () => openTree(s))}
      </ul>
    </div>
  );
}
