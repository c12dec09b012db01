/**
 * Starts the real host (`pulse serve --port 0 --json`) on a fresh temporary workspace and reads the URL it
 * prints. Needs the host and renderer builds: `npx tsc -p tsconfig.build.json && npx vite build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'build/main/doors/cli/pulse.js');
const RENDERER = path.join(ROOT, 'build/renderer/index.html');

export interface RunningServer {
  /** Full URL with the token, as printed. */
  url: string;
  /** http://127.0.0.1:PORT/ without the token. */
  origin: string;
  workspace: string;
  /** Everything the server wrote to stderr so far (shown when a test fails). */
  stderr: () => string;
  stop: () => Promise<void>;
}

export function assertBuilt(): void {
  const missing = [CLI, RENDERER].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    throw new Error(`Build first (npm run build:e2e): missing ${missing.map((f) => path.relative(ROOT, f)).join(', ')}`);
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pulse-e2e-${prefix}-`));
}

export async function startServer(opts: { workspace?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  assertBuilt();
  const workspace = opts.workspace ?? path.join(tempDir('ws'), 'workspace');
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workspace', workspace, '--json'], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pulse serve printed no URL within 30 s.\n${stderr}`)), 30_000);
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pulse serve exited with ${code}.\n${stderr}`));
    });
  });
  const { url } = JSON.parse(first) as { url: string };
  const origin = new URL('/', url).href;
  return {
    url,
    origin,
    workspace,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
