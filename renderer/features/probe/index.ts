import '../../ui/views.css';
import { ProbeIcon } from '../../ui/icons';
import { jobEventLog } from '../../ui/job-events';
import type { Feature } from '../feature';
import { AskEditor } from './AskEditor';
import { probeCommands } from './commands';
import { ProbeSideBar } from './ProbeSideBar';
import { QaEditor } from './QaEditor';
import { RationaleDetail } from './RationaleDetail';
import { TreeEditor } from './TreeEditor';

export const probe: Feature = {
  id: 'probe',
  title: 'Probe',
  icon: ProbeIcon,
  SideBar: ProbeSideBar,
  editors: { 'probe.ask': AskEditor, 'probe.qa': QaEditor, 'probe.tree': TreeEditor, 'rationale.detail': RationaleDetail },
  commands: probeCommands,
  activate: (s) => jobEventLog.start(s),
};
