import type { Command } from '../cli-kit.js';
import { datasetsDelete, datasetsHistory, datasetsList, datasetsRename, datasetsStats, importCmd } from './datasets.js';
import { demo } from './demo.js';
import { REASONING_COMMANDS } from './reasoning.js';
import { jobsList, jobsResume } from './jobs.js';
import { MODEL_COMMANDS } from './models.js';
import { RATIONALE_COMMANDS } from './rationales.js';
import { REVIEW_COMMANDS } from './review.js';
import { serve } from './serve.js';
import { SPACE_COMMANDS } from './space.js';
import { TRAINING_COMMANDS } from './training.js';
import { doctor, workspaceBackup, workspaceInfo } from './workspace.js';

/** Every CLI command; features add theirs here. */
export const COMMANDS: Command[] = [
  serve,
  importCmd,
  datasetsList,
  datasetsStats,
  datasetsHistory,
  datasetsRename,
  datasetsDelete,
  jobsList,
  jobsResume,
  workspaceInfo,
  workspaceBackup,
  doctor,
  demo,
  ...MODEL_COMMANDS,
  ...RATIONALE_COMMANDS,
  ...REVIEW_COMMANDS,
  ...REASONING_COMMANDS,
  ...SPACE_COMMANDS,
  ...TRAINING_COMMANDS,
];
