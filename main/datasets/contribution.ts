import type { FeatureContribution } from '../host/host.js';
import { datasetsHandlers } from './datasets-handlers.js';

export const datasets = { handlers: datasetsHandlers } satisfies FeatureContribution;
