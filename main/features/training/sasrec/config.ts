// SASRec hyperparameters and named presets.
export interface SasrecConfig {
  hidden: number;
  blocks: number;
  heads: number;
  /** Feed-forward inner width. */
  inner: number;
  /** Dropout on embeddings, residual branches and the feed-forward activation. */
  dropout: number;
  /** Dropout on attention probabilities. */
  attnDropout: number;
  maxLen: number;
  lr: number;
  batch: number;
  loss: 'ce' | 'bce';
  seed: number;
  /** L2 added to the gradient, as torch.optim.Adam's weight_decay. */
  weightDecay: number;
}

export type PresetName = 'reference' | 'paper' | 'recbole' | 'default';

// Exactly ../shared/bench/sasrec_ref.py: nn.TransformerEncoderLayer(64, 2, 256, 0.5, gelu, post-norm).
const REFERENCE: SasrecConfig = {
  hidden: 64,
  blocks: 2,
  heads: 2,
  inner: 256,
  dropout: 0.5,
  attnDropout: 0.5,
  maxLen: 50,
  lr: 1e-3,
  batch: 256,
  loss: 'ce',
  seed: 2020,
  weightDecay: 0,
};

export const PRESETS: Record<PresetName, SasrecConfig> = {
  reference: REFERENCE,
  // Kang & McAuley 2018: d = 50, b = 2, dropout 0.5 (sparse Amazon data), BCE with one negative, batch 128.
  paper: {
    hidden: 50,
    blocks: 2,
    heads: 2,
    inner: 50,
    dropout: 0.5,
    attnDropout: 0.5,
    maxLen: 50,
    lr: 1e-3,
    batch: 128,
    loss: 'bce',
    seed: 2020,
    weightDecay: 0,
  },
  // RecBole SASRec defaults (train_batch_size 2048, CE).
  recbole: { ...REFERENCE, batch: 2048 },
  // Chosen by bench/train-quality.ts (see docs/training-engine.md): the reference settings reach the published
  // numbers within the hour, with early stopping on validation.
  default: REFERENCE,
};

export function resolveConfig(preset: PresetName = 'default', overrides: Partial<SasrecConfig> = {}): SasrecConfig {
  const c = { ...PRESETS[preset], ...overrides };
  if (c.hidden % c.heads !== 0) throw new RangeError(`hidden (${c.hidden}) must be divisible by heads (${c.heads})`);
  for (const k of ['hidden', 'blocks', 'heads', 'inner', 'maxLen', 'batch'] as const)
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new RangeError(`${k} must be a positive integer`);
  if (!(c.dropout >= 0 && c.dropout < 1) || !(c.attnDropout >= 0 && c.attnDropout < 1)) throw new RangeError('dropout must be in [0, 1)');
  return c;
}
