import { ModelsIcon } from '../../ui/icons';
import { placeholderFeature } from '../placeholder';

export const models = placeholderFeature({
  id: 'models',
  title: 'Models',
  icon: ModelsIcon,
  issue: 'the model manager issue',
  what: 'Manage small language models: scan folders for GGUF files, see their metadata and whether they fit in memory, download with progress, resume and cancel.',
});
