import type { FeatureContribution } from '../../platform/host/host.js';
import { datasetsHandlers } from './datasets-handlers.js';

export const datasets = { handlers: datasetsHandlers } satisfies FeatureContribution;
