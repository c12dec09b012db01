import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';

/** The Thought-Space map (behaviour and rationale embeddings before and after training), beside the Training view that opens it. */
export function openMap(s: Services, space?: number): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'space.map',
    kind: 'space.map',
    title: 'Thought-Space Map',
    description: 'Behaviour and rationale embeddings before and after training',
    data: { space: space ?? null },
  });
}

export function spaceCommands(s: Services): Command[] {
  return [{ id: 'space.showMap', category: 'Thought Space', title: 'Open Thought-Space Map', keybinding: 'Ctrl+Alt+M', run: () => openMap(s) }];
}
