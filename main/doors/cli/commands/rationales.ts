import { UserError } from '../../../base/errors.js';
import type { DraftResult } from '../../../features/rationales/draft-job.js';
import type { GenerateResult } from '../../../features/rationales/generate-job.js';
import { followJob, int, num, required, str, validInput, type Command } from '../cli-kit.js';

const GENERATE_USAGE =
  'pulse generate --dataset NAME (--model PATH_OR_ID | --endpoint URL --endpoint-model NAME) [--users N] [--positions last|all] [--parallel P] [--threads T] [--context N] [--template ID] [--regenerate] [--temperature X] [--max-tokens N] [--max-chars N] [--seed S] [--gpu] [--json]';

export const generate: Command = {
  name: 'generate',
  summary: 'Generate SLM rationales: one per user explaining the last training item, or one per training item (--positions all)',
  usage: GENERATE_USAGE,
  options: {
    dataset: { type: 'string' },
    model: { type: 'string' },
    endpoint: { type: 'string' },
    'endpoint-model': { type: 'string' },
    users: { type: 'string' },
    positions: { type: 'string' },
    parallel: { type: 'string' },
    threads: { type: 'string' },
    context: { type: 'string' },
    template: { type: 'string' },
    regenerate: { type: 'boolean' },
    temperature: { type: 'string' },
    'max-tokens': { type: 'string' },
    'max-chars': { type: 'string' },
    seed: { type: 'string' },
    gpu: { type: 'boolean' },
  },
  async run(ctx, v) {
    const endpointUrl = str(v, 'endpoint');
    const model = str(v, 'model');
    if (!endpointUrl && !model) throw new UserError('Give --model PATH_OR_ID, or --endpoint URL.', { hint: `Usage: ${GENERATE_USAGE}` });
    const settings = { temperature: num(v, 'temperature'), maxTokens: int(v, 'max-tokens'), maxChars: int(v, 'max-chars'), seed: int(v, 'seed') };
    const input = {
      dataset: required(v, 'dataset', GENERATE_USAGE),
      ...(endpointUrl ? { endpoint: { url: endpointUrl, model: str(v, 'endpoint-model') ?? model ?? 'default' } } : { model }),
      users: int(v, 'users'),
      positions: str(v, 'positions'),
      parallel: int(v, 'parallel'),
      threads: int(v, 'threads'),
      contextSize: int(v, 'context'),
      template: str(v, 'template'),
      regenerate: v.regenerate === true ? true : undefined,
      gpu: v.gpu === true ? true : undefined,
      settings: Object.values(settings).some((x) => x !== undefined) ? settings : undefined,
    };
    const { jobId } = await ctx.host().invoke('rationales.generate', input);
    const r = await followJob<GenerateResult>(ctx, jobId);
    return {
      generated: r.generated,
      skipped: r.skipped,
      failed: r.failed,
      tokens_per_second: r.tokensPerSecond,
      users_per_second: r.usersPerSecond,
      completion_tokens: r.completionTokens,
      shortened: r.shortened,
      repaired: r.repaired,
      seconds: r.seconds,
      load_seconds: r.loadSeconds,
      users: r.users,
      dataset: r.dataset,
      model: r.model,
      agent: r.agentKind,
      template: r.template,
      generation_key: r.generationKey,
      parallel: r.parallel,
      job: jobId,
    };
  },
};

const DRAFT_USAGE = 'pulse rationales draft --dataset NAME [--users N] [--positions last|all] [--regenerate] [--json]';

export const rationalesDraft: Command = {
  name: 'rationales draft',
  summary: 'Draft extractive rationales (no model) from item text',
  usage: DRAFT_USAGE,
  options: { dataset: { type: 'string' }, users: { type: 'string' }, positions: { type: 'string' }, regenerate: { type: 'boolean' } },
  async run(ctx, v) {
    const input = validInput(
      'rationales.draft',
      {
        dataset: required(v, 'dataset', DRAFT_USAGE),
        users: int(v, 'users'),
        positions: str(v, 'positions'),
        regenerate: v.regenerate === true ? true : undefined,
      },
      DRAFT_USAGE,
    );
    const { jobId } = await ctx.host().invoke('rationales.draft', input);
    const r = await followJob<DraftResult>(ctx, jobId);
    return { ...r, job: jobId };
  },
};

export const rationalesList: Command = {
  name: 'rationales',
  summary: "List a dataset's rationales with their latest version",
  usage: 'pulse rationales --dataset NAME [--offset N] [--limit N] [--json]',
  options: { dataset: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string' } },
  run: (ctx, v) =>
    ctx.host().invoke('rationales.list', {
      dataset: required(v, 'dataset', 'pulse rationales --dataset NAME'),
      offset: int(v, 'offset', 0),
      limit: int(v, 'limit', 50),
    }),
};

export const rationalesExport: Command = {
  name: 'rationales export',
  summary: "Export a dataset's rationales, every version, as JSONL",
  usage: 'pulse rationales export --dataset NAME --out FILE [--json]',
  options: { dataset: { type: 'string' }, out: { type: 'string' } },
  run: (ctx, v) => {
    const usage = 'pulse rationales export --dataset NAME --out FILE [--json]';
    return ctx.host().invoke('rationales.export', { dataset: required(v, 'dataset', usage), out: required(v, 'out', usage) });
  },
};

export const rationalesImport: Command = {
  name: 'rationales import',
  summary: 'Import rationales from JSONL into the workspace holding the same dataset (idempotent)',
  usage: 'pulse rationales import FILE [--dataset NAME] [--json]',
  options: { dataset: { type: 'string' } },
  run: (ctx, v, [file]) => {
    if (!file) throw new UserError('Give the JSONL file to import.', { hint: 'Usage: pulse rationales import FILE [--dataset NAME] [--json]' });
    return ctx.host().invoke('rationales.import', { file, dataset: str(v, 'dataset') });
  },
};

export const RATIONALE_COMMANDS: Command[] = [generate, rationalesList, rationalesDraft, rationalesExport, rationalesImport];
