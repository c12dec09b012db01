import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './temp.js';

export const PULSE_BIN = path.join(repoRoot, 'bin', 'pulse.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs the real `pulse` command (the compiled host; scripts/test.mjs builds before tests). */
export function pulse(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [PULSE_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    /* not JSON */
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

/** Same, without blocking the test's event loop (for tests that also serve or kill). */
export function pulseAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PULSE_BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      let json: unknown = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        /* not JSON */
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
