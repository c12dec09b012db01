import '../../ui/views.css';
import type { Contribution } from '../feature';
import { spaceCommands } from './commands';
import { MapEditor } from './MapEditor';

/**
 * Thought Spaces (the host's space feature): the map editor and its command. No view of its own: the Training
 * view and the runs editor open the map (space/commands.ts's openMap).
 */
export const space: Contribution = {
  id: 'space',
  editors: { 'space.map': MapEditor },
  commands: spaceCommands,
};
