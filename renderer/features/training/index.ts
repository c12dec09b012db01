import '../../ui/views.css';
import './training.css';
import { TrainingIcon } from '../../ui/icons';
import { jobEventLog } from '../../ui/job-events';
import type { Feature } from '../feature';
import { trainingCommands } from './commands';
import { CompareEditor } from './CompareEditor';
import { NewRunEditor } from './NewRunEditor';
import { RunsEditor } from './RunsEditor';
import { TrainingSideBar } from './TrainingSideBar';
import { UserViewEditor } from './UserViewEditor';

export const training: Feature = {
  id: 'training',
  title: 'Training',
  icon: TrainingIcon,
  SideBar: TrainingSideBar,
  editors: {
    'training.new': NewRunEditor,
    'training.runs': RunsEditor,
    'training.compare': CompareEditor,
    'training.user': UserViewEditor,
  },
  commands: trainingCommands,
  activate: (s) => jobEventLog.start(s),
};
