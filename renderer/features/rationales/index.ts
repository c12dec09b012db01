import { RationalesIcon } from '../../ui/icons';
import { placeholderFeature } from '../placeholder';

export const rationales = placeholderFeature({
  id: 'rationales',
  title: 'Rationales',
  icon: RationalesIcon,
  issue: 'the rationale generation and review issue',
  what: 'Generate rationales (thoughts) for user histories with a small language model, then review them: accept, edit or reject each suggestion.',
});
