import { int, runJobInForeground, str, type Command } from '../cli-kit.js';

export const demo: Command = {
  name: 'demo',
  summary: 'Add the built-in synthetic demo dataset to the workspace',
  usage: 'pulse demo [--name NAME] [--seed S] [--json]',
  options: { name: { type: 'string' }, seed: { type: 'string' } },
  run: (ctx, v) => runJobInForeground(ctx, 'demo.build', { name: str(v, 'name'), seed: int(v, 'seed') }, 'Build the demo dataset'),
};
