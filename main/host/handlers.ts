import { datasetsHandlers } from '../datasets/datasets-handlers.js';
import { appHandlers } from './app-handlers.js';
import type { Handlers } from './handler-types.js';
import { jobsHandlers } from './jobs-handlers.js';
import { modelsHandlers } from '../slm/models-handlers.js';
import { rationalesHandlers } from '../rationales/rationales-handlers.js';
import { reasoningHandlers } from '../qa/reasoning-handlers.js';
import { reviewHandlers } from '../review/review-handlers.js';
import { spaceHandlers } from '../thought-space/space-handlers.js';
import { trainingHandlers } from '../training/training-handlers.js';

/** Every contract method and its handler; the type makes a missing one a compile error. */
export const HANDLERS: Handlers = {
  ...appHandlers,
  ...jobsHandlers,
  ...datasetsHandlers,
  ...modelsHandlers,
  ...rationalesHandlers,
  ...reasoningHandlers,
  ...reviewHandlers,
  ...spaceHandlers,
  ...trainingHandlers,
};
