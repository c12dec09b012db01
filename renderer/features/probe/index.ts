import { ProbeIcon } from '../../ui/icons';
import { placeholderFeature } from '../placeholder';

export const probe = placeholderFeature({
  id: 'probe',
  title: 'Probe',
  icon: ProbeIcon,
  issue: 'the thought-space probe issue',
  what: 'Probe the thought space: pick a user, see the nearest thoughts and items, and compare recommendations side by side.',
});
