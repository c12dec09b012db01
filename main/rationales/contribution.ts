import type { FeatureContribution } from '../host/host.js';
import { rationalesHandlers } from './rationales-handlers.js';

export const rationales = { handlers: rationalesHandlers } satisfies FeatureContribution;
