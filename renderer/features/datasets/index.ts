import { DatasetsIcon } from '../../ui/icons';
import type { Feature } from '../feature';
import { datasetCommands, openImport } from './commands';
import { DatasetEditor } from './DatasetEditor';
import { DatasetsSideBar } from './DatasetsSideBar';
import { ImportEditor } from './ImportEditor';

export const datasets: Feature = {
  id: 'datasets',
  title: 'Datasets',
  icon: DatasetsIcon,
  SideBar: DatasetsSideBar,
  editors: { dataset: DatasetEditor, 'dataset.import': ImportEditor },
  commands: datasetCommands,
  activate: (s) =>
    s.jobs.onDidFinish((job) => {
      // Imports (and the demo build) add datasets; the host also emits a `datasets` event, this covers a missed one.
      if (job.state === 'succeeded') s.datasets.refresh().catch(() => undefined);
    }),
};

export { openImport };
