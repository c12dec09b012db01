import { TrainingIcon } from '../../ui/icons';
import { placeholderFeature } from '../placeholder';

export const training = placeholderFeature({
  id: 'training',
  title: 'Training',
  icon: TrainingIcon,
  issue: 'the training and evaluation issue',
  what: 'Train thought-space recommenders and follow live curves (EMA smoothing, step or time axis), with a runs table of best and last values.',
});
