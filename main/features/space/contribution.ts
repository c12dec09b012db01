import type { FeatureContribution } from '../../platform/host/host.js';
import { spaceHandlers } from './space-handlers.js';

export const space = { handlers: spaceHandlers } satisfies FeatureContribution;
