#!/usr/bin/env node
// The `pulse` command: runs the compiled host (npm ci builds it; `npm run build` rebuilds).
import fs from 'node:fs';
const entry = new URL('../build/main/doors/cli/pulse.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write('error: PULSE Workbench is not built yet.\nhint: run `npm run build` in the project folder.\n');
  process.exit(1);
}
const { main, exitAfterFlush } = await import(entry.href);
exitAfterFlush(await main(process.argv.slice(2)));
