import { startServer } from '../../server/http-server.js';
import { int, type Command } from '../cli-kit.js';

export const serve: Command = {
  name: 'serve',
  summary: 'Serve the workbench and its API to a browser on 127.0.0.1 (token-protected)',
  usage: 'pulse serve [--port N] [--static DIR] [--json]   (--port 0 picks a free port)',
  options: { port: { type: 'string' }, static: { type: 'string' } },
  async run(ctx, values) {
    const host = ctx.host('server');
    const server = await startServer(host, { port: int(values, 'port', 7717)!, staticDir: values.static as string | undefined });
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
