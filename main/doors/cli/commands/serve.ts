import { startServer } from '../../server/http-server.js';
import { int, type Command } from '../cli-kit.js';

const DEFAULT_PORT = 7717;

export const serve: Command = {
  name: 'serve',
  summary: 'Serve the workbench and its API to a browser on 127.0.0.1 (token-protected)',
  usage: 'pulse serve [--port N (default 7717)] [--static DIR] [--json]   (--port 0 picks a free port)',
  options: { port: { type: 'string' }, static: { type: 'string' } },
  async run(ctx, values) {
    const host = ctx.host('server');
    const staticDir = values.static as string | undefined;
    const asked = int(values, 'port');
    // The default port falls back to a free one when taken; an explicit --port never does.
    const server = await startServer(host, { port: asked ?? DEFAULT_PORT, staticDir }).catch((e: NodeJS.ErrnoException) => {
      if (asked === undefined && e.code === 'EADDRINUSE') return startServer(host, { port: 0, staticDir });
      throw e;
    });
    // The URL goes to stdout at once (scripts and tests read it); with --json as one JSON line.
    if (ctx.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port, workspace: host.workspace.dir }) + '\n');
    else process.stdout.write(`PULSE Workbench: ${server.url}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    process.exit(0);
  },
};
