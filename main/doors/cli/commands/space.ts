import { followJob, int, num, required, str, validInput, type Command } from '../cli-kit.js';

const TRAIN_USAGE =
  'pulse space train --dataset NAME --encoder tfidf|gguf:PATH|onnx:DIR [--epochs N] [--temperature T] [--negatives K] [--batch-size B] [--lr LR] [--tower mlp|linear] [--seed S] [--holdout F] [--dim D] [--threads N] [--name NAME] [--json]';

export const spaceTrain: Command = {
  name: 'space train',
  summary: 'Train a Thought Space (behaviour and rationale towers, InfoNCE) on a dataset with rationales',
  usage: TRAIN_USAGE,
  options: {
    dataset: { type: 'string' },
    encoder: { type: 'string' },
    epochs: { type: 'string' },
    temperature: { type: 'string' },
    negatives: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    tower: { type: 'string' },
    seed: { type: 'string' },
    holdout: { type: 'string' },
    dim: { type: 'string' },
    threads: { type: 'string' },
    name: { type: 'string' },
  },
  async run(ctx, v) {
    const input = validInput(
      'space.train',
      {
        dataset: required(v, 'dataset', TRAIN_USAGE),
        encoder: required(v, 'encoder', TRAIN_USAGE),
        name: str(v, 'name'),
        epochs: int(v, 'epochs'),
        temperature: num(v, 'temperature'),
        negatives: int(v, 'negatives'),
        batchSize: int(v, 'batch-size'),
        lr: num(v, 'lr'),
        tower: str(v, 'tower'),
        seed: int(v, 'seed'),
        holdout: num(v, 'holdout'),
        dim: int(v, 'dim'),
        threads: int(v, 'threads'),
      },
      TRAIN_USAGE,
    );
    const { jobId } = await ctx.host().invoke('space.train', input);
    return followJob(ctx, jobId);
  },
};

const APPLY_USAGE = 'pulse space apply --space ID --dataset NAME [--json]';

export const spaceApply: Command = {
  name: 'space apply',
  summary: 'Apply a trained Thought Space to another dataset (cross-domain retrieval before/after)',
  usage: APPLY_USAGE,
  options: { space: { type: 'string' }, dataset: { type: 'string' } },
  async run(ctx, v) {
    const input = validInput('space.apply', { id: int(v, 'space'), dataset: required(v, 'dataset', APPLY_USAGE) }, APPLY_USAGE);
    const { jobId } = await ctx.host().invoke('space.apply', input);
    return followJob(ctx, jobId);
  },
};

export const spaceList: Command = {
  name: 'space list',
  summary: 'List the Thought Spaces in the workspace with retrieval before/after training',
  usage: 'pulse space list [--json]',
  run: (ctx) => ctx.host().invoke('space.list', {}),
};

export const spaceShow: Command = {
  name: 'space show',
  summary: "A Thought Space's config, metrics, rationale versions and cross-domain applications",
  usage: 'pulse space show ID [--json]',
  run: (ctx, _v, [id]) => ctx.host().invoke('space.get', { id: Number(id) }),
};

export const SPACE_COMMANDS: Command[] = [spaceTrain, spaceApply, spaceList, spaceShow];
