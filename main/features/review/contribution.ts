import type { FeatureContribution } from '../../platform/host/host.js';
import { reviewHandlers } from './review-handlers.js';

export const review = { handlers: reviewHandlers } satisfies FeatureContribution;
