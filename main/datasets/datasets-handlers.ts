import { UserError } from '../app/errors.js';
import type { Handlers } from '../host/handler-types.js';

// Placeholder while the dataset service is written (owned by the datasets engineer).
const todo = (): never => {
  throw new UserError('Not implemented yet', { code: 'not_implemented' });
};

export const datasetsHandlers: Handlers<
  'datasets.list' | 'datasets.stats' | 'datasets.rename' | 'datasets.delete' | 'datasets.users' | 'datasets.history' | 'datasets.detect' | 'datasets.import' | 'datasets.uploads'
> = {
  'datasets.list': todo,
  'datasets.stats': todo,
  'datasets.rename': todo,
  'datasets.delete': todo,
  'datasets.users': todo,
  'datasets.history': todo,
  'datasets.detect': todo,
  'datasets.import': todo,
  'datasets.uploads': todo,
};
