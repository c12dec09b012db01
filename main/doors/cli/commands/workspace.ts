import { doctorReport, doctorText } from '../../../platform/doctor.js';
import { UserError } from '../../../base/errors.js';
import type { Command } from '../cli-kit.js';

export const workspaceInfo: Command = {
  name: 'workspace',
  summary: 'Where the workspace is, and what it holds',
  usage: 'pulse workspace [--json]',
  async run(ctx) {
    const host = ctx.host();
    const { datasets } = await host.invoke('datasets.list', {});
    return { workspace: host.workspace.dir, database: host.workspace.databaseFile, datasets: datasets.length };
  },
};

export const workspaceBackup: Command = {
  name: 'workspace backup',
  summary: "Back the workspace's database up to one file (safe while the workbench runs)",
  usage: 'pulse workspace backup FILE [--json]',
  run(ctx, _v, [file]) {
    if (!file) throw new UserError('Give the backup file to write.', { hint: `Usage: ${this.usage}` });
    return ctx.host().invoke('workspace.backup', { file });
  },
};

export const doctor: Command = {
  name: 'doctor',
  summary: 'Which training kernels this installation uses (native with OpenBLAS, native built-in, or TypeScript) and why',
  usage: 'pulse doctor [--json]',
  // No workspace needed: it reports on the installation.
  run(ctx) {
    const d = doctorReport();
    return Promise.resolve(ctx.json ? d : doctorText(d));
  },
};
