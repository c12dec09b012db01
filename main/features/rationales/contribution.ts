import type { FeatureContribution } from '../../platform/host/host.js';
import { rationalesHandlers } from './rationales-handlers.js';

export const rationales = { handlers: rationalesHandlers } satisfies FeatureContribution;
