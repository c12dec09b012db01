import { followJob, int, required, str, validInput, type Command } from '../cli-kit.js';
import { UserError } from '../../../base/errors.js';
import type { ImportOptions } from '../../../../common/contract/index.js';

function parseColumns(spec: string | undefined): ImportOptions['columns'] {
  if (!spec) return undefined;
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const [k, v] = pair.split('=');
    if (!k || !v)
      throw new UserError(`--columns takes key=COLUMN pairs, not "${pair}".`, {
        hint: 'Example: --columns user=userId,item=movieId,time=timestamp,rating=rating',
      });
    out[k.trim()] = v.trim();
  }
  return out as ImportOptions['columns'];
}

const IMPORT_USAGE =
  'pulse import PATH... --name NAME [--format auto|s3rec|lcrec|recbole|amazon|movielens|csv] [--columns user=COL,item=COL,time=COL,rating=COL] [--kcore K] [--min-history N] [--json]';

export const importCmd: Command = {
  name: 'import',
  summary: 'Import a recommendation dataset (files or a folder) into the workspace',
  usage: IMPORT_USAGE,
  options: { name: { type: 'string' }, format: { type: 'string' }, columns: { type: 'string' }, kcore: { type: 'string' }, 'min-history': { type: 'string' } },
  async run(ctx, values, positionals) {
    if (positionals.length === 0) throw new UserError('Give at least one file or folder to import.', { hint: `Usage: ${IMPORT_USAGE}` });
    const input = {
      paths: positionals,
      name: required(values, 'name', IMPORT_USAGE),
      format: str(values, 'format') ?? 'auto',
      columns: parseColumns(str(values, 'columns')),
      kcore: int(values, 'kcore', 0),
      minHistory: int(values, 'min-history', 0),
    };
    const parsed = validInput('datasets.import', input, IMPORT_USAGE);
    const { jobId } = await ctx.host().invoke('datasets.import', parsed);
    // datasets.import starts the job; wait for it here in the foreground.
    return followJob(ctx, jobId);
  },
};

export const datasetsList: Command = {
  name: 'datasets',
  summary: 'List the datasets in the workspace',
  usage: 'pulse datasets [--json]',
  run: (ctx) => ctx.host().invoke('datasets.list', {}),
};

export const datasetsStats: Command = {
  name: 'datasets stats',
  summary: "A dataset's counts, split and distributions",
  usage: 'pulse datasets stats NAME [--json]',
  run: (ctx, _v, [name]) => ctx.host().invoke('datasets.stats', { name }),
};

export const datasetsRename: Command = {
  name: 'datasets rename',
  summary: 'Rename a dataset',
  usage: 'pulse datasets rename NAME NEW_NAME [--json]',
  run: (ctx, _v, [name, newName]) => ctx.host().invoke('datasets.rename', { name, newName }),
};

export const datasetsDelete: Command = {
  name: 'datasets delete',
  summary: 'Delete a dataset and everything that belongs to it',
  usage: 'pulse datasets delete NAME [--json]',
  run: (ctx, _v, [name]) => ctx.host().invoke('datasets.delete', { name }),
};

export const datasetsHistory: Command = {
  name: 'datasets history',
  summary: "A user's time-ordered history with item text",
  usage: 'pulse datasets history NAME --user IDX [--json]',
  options: { user: { type: 'string' } },
  run: (ctx, v, [name]) => ctx.host().invoke('datasets.history', { name, user: int(v, 'user', 0) }),
};
