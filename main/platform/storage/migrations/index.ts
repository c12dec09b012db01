/**
 * Numbered schema migrations. Each feature adds its own file and one line here; a migration is never edited
 * after it has shipped (add a new one instead). `user_version` records the newest one applied.
 */
import { foundation } from './0001-foundation.js';
import { models } from './0003-models.js';
import { rationales } from './0004-rationales.js';
import { spaces } from './0005-spaces.js';
import { runs } from './0006-runs.js';
import { reasoning } from './0007-reasoning.js';
import { review } from './0008-review.js';
import { runRationalesPerTarget } from './0009-run-rationales-per-target.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: Migration[] = [foundation, models, rationales, spaces, runs, reasoning, review, runRationalesPerTarget];
