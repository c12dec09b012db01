import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import { openAsk, openCompare, openQa, openTree } from './commands';

/** Entry points to the probe's four editors, with their keybindings. */
export function ProbeSideBar() {
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
      data-probe={id}
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
    <div className="probe-sidebar">
      <ul className="list" role="listbox" aria-label="Probe">
        {item('probe.ask', 'Ask About a User', 'A free question, answered from the history and nearest rationales, streamed.', () => openAsk(s))}
        {item('probe.compare', 'Compare Settings', 'With or without rationales, two models: side by side.', () => openCompare(s))}
        {item('probe.qa', 'Question Answering', 'HotpotQA-form file or the demo: EM/F1 with and without reasoning.', () => openQa(s))}
        {item('probe.tree', 'Refinement Tree', 'Tree-of-Thought chains, scores and the winner.', () => openTree(s))}
      </ul>
    </div>
  );
}
