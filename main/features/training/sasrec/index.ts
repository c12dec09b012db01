// Public surface of the SASRec trainer.
export { createTrainer, type BatchProgress, type EpochResult, type Trainer, type TrainerOptions } from './trainer.js';
export { PRESETS, resolveConfig, type PresetName, type SasrecConfig } from './config.js';
export { leaveOneOut, parseS3Rec, type LeaveOneOut } from './split.js';
export type { AuxOptions } from './aux.js';
export { kernelInfo, loadKernels } from '../../../base/engine/kernels.js';
