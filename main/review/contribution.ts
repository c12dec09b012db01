import type { FeatureContribution } from '../host/host.js';
import { reviewHandlers } from './review-handlers.js';

export const review = { handlers: reviewHandlers } satisfies FeatureContribution;
