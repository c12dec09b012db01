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
      // The host also emits a `datasets` event; refreshing here too keeps the list right if that one was missed.
      if (job.state === 'succeeded' && job.kind.includes('import')) s.datasets.refresh().catch(() => undefined);
    }),
};

export { openImport };
