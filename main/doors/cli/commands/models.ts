import { UserError } from '../../../base/errors.js';
import type { Command } from '../cli-kit.js';

export const modelsAdd: Command = {
  name: 'models add',
  summary: 'Add a GGUF model file or a folder of them (metadata read from the file)',
  usage: 'pulse models add PATH [--name NAME] [--json]',
  options: { name: { type: 'string' } },
  async run(ctx, v, [p]) {
    if (!p) throw new UserError('Give a GGUF file or a folder.', { hint: 'Usage: pulse models add PATH [--name NAME] [--json]' });
    const r = await ctx.host().invoke('models.add', { path: p, name: typeof v.name === 'string' ? v.name : undefined });
    // One model: its entry with the metadata at the top level (architecture, parameters, quantization...).
    if (r.added.length === 1 && r.skipped.length === 0) {
      const m = r.added[0]!;
      return { ...m.metadata, id: m.id, name: m.name, path: m.path, hash: m.hash, fit: m.fit, added: r.added, skipped: r.skipped };
    }
    return r;
  },
};

export const modelsList: Command = {
  name: 'models',
  summary: 'List the models in the workspace with their metadata and memory fit',
  usage: 'pulse models [list] [--json]',
  run: (ctx) => ctx.host().invoke('models.list', {}),
};

export const modelsListAlias: Command = { ...modelsList, name: 'models list' };

export const modelsRemove: Command = {
  name: 'models remove',
  summary: 'Forget a model (the file stays on disk)',
  usage: 'pulse models remove ID [--json]',
  run: (ctx, _v, [id]) => ctx.host().invoke('models.remove', { id: Number(id) }),
};

export const MODEL_COMMANDS: Command[] = [modelsList, modelsListAlias, modelsAdd, modelsRemove];
