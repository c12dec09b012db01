import type { FeatureContribution } from '../../platform/host/host.js';
import { trainingHandlers } from './training-handlers.js';

export const training = { handlers: trainingHandlers } satisfies FeatureContribution;
