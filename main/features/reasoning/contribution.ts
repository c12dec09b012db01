import type { FeatureContribution } from '../../platform/host/host.js';
import { reasoningHandlers } from './reasoning-handlers.js';

export const reasoning = { handlers: reasoningHandlers } satisfies FeatureContribution;
