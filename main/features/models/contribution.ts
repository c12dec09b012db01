import type { FeatureContribution } from '../../platform/host/host.js';
import { modelsHandlers } from './models-handlers.js';

export const models = { handlers: modelsHandlers } satisfies FeatureContribution;
