import '../../ui/views.css';
import { ReasoningIcon } from '../../ui/icons';
import { jobEventLog } from '../../ui/job-events';
import type { Feature } from '../feature';
import { AskEditor } from './AskEditor';
import { reasoningCommands } from './commands';
import { ReasoningSideBar } from './ReasoningSideBar';
import { QaEditor } from './QaEditor';
import { RationaleDetail } from './RationaleDetail';
import { TreeEditor } from './TreeEditor';

export const reasoning: Feature = {
  id: 'reasoning',
  title: 'Reasoning',
  icon: ReasoningIcon,
  SideBar: ReasoningSideBar,
  editors: { 'reasoning.ask': AskEditor, 'reasoning.qa': QaEditor, 'reasoning.tree': TreeEditor, 'rationale.detail': RationaleDetail },
  commands: reasoningCommands,
  activate: (s) => jobEventLog.start(s),
};
