import '../../ui/views.css';
import { ModelsIcon } from '../../ui/icons';
import type { Feature } from '../feature';
import { bumpModels, modelsCommands } from './commands';
import { DownloadEditor } from './DownloadEditor';
import { EndpointEditor } from './EndpointEditor';
import { GenerateEditor } from './GenerateEditor';
import { ModelEditor } from './ModelEditor';
import { ModelsSideBar } from './ModelsSideBar';

export const models: Feature = {
  id: 'models',
  title: 'Models',
  icon: ModelsIcon,
  SideBar: ModelsSideBar,
  editors: { 'models.model': ModelEditor, 'models.download': DownloadEditor, 'models.endpoint': EndpointEditor, 'models.generate': GenerateEditor },
  commands: modelsCommands,
  activate: (s) =>
    s.jobs.onDidFinish((job) => {
      if (job.kind.startsWith('models.') && job.state === 'succeeded') bumpModels();
    }),
};
