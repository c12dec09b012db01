#!/usr/bin/env node
/** `pulse`: the command-line door. Every command calls the same host handlers as the window does. */
import { parseArgs } from 'node:util';
import { toErrorPayload, UserError } from '../../base/errors.js';
import { defaultWorkspaceDir } from '../../platform/paths.js';
import { CONTRIBUTIONS } from '../../features/index.js';
import { Host } from '../../platform/host/host.js';
import type { CliContext, Command } from './cli-kit.js';
import { COMMANDS } from './commands/index.js';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  workspace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'pulse: PULSE Workbench from the command line',
    '',
    'Usage: pulse <command> [options] [--json] [--workspace DIR]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --json            print exactly one JSON object on stdout (progress goes to stderr)',
    '  --workspace DIR   the workspace folder (default: $PULSE_WORKSPACE or the app-data workspace)',
    '  -h, --help        help for a command: pulse <command> --help',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2);
  const two = words.length === 2 ? `${words[0]} ${words[1]}` : null;
  const pick = (name: string) => COMMANDS.find((c) => c.name === name);
  const drop = (n: number) => {
    const rest = [...argv];
    for (const w of words.slice(0, n)) rest.splice(rest.indexOf(w), 1);
    return rest;
  };
  if (two && pick(two) && argv.indexOf(words[0]!) === 0) return { command: pick(two)!, rest: drop(2) };
  if (words[0] && pick(words[0]) && argv.indexOf(words[0]) === 0) return { command: pick(words[0])!, rest: drop(1) };
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  let host: Host | null = null;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      process.stdout.write(helpText() + '\n');
      return 0;
    }
    const found = findCommand(argv);
    if (!found) {
      throw new UserError(
        `Unknown command "${argv
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' ')}".`,
        { hint: 'See `pulse --help` for the commands.' },
      );
    }
    const { command, rest } = found;
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UserError((e as Error).message, { hint: `Usage: ${command.usage}` });
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    const workspaceDir = (values.workspace as string | undefined) ?? defaultWorkspaceDir();
    const ctx: CliContext = {
      json: Boolean(values.json),
      workspaceDir,
      host: (door = 'cli') => (host ??= Host.open(workspaceDir, door, CONTRIBUTIONS)),
      progress: (line) => process.stderr.write(line + '\n'),
    };
    const result = await command.run(ctx, parsed.values as never, parsed.positionals);
    if (ctx.json) process.stdout.write(JSON.stringify(result ?? {}) + '\n');
    else process.stdout.write(humanText(result) + '\n');
    return 0;
  } catch (err) {
    const e = toErrorPayload(err);
    if (wantsJson) process.stdout.write(JSON.stringify({ error: { message: e.message, file: e.file, line: e.line, hint: e.hint, code: e.code } }) + '\n');
    const where = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : '';
    process.stderr.write(`error: ${e.message}${where}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
    if (!(err instanceof UserError) && process.env.PULSE_DEBUG) process.stderr.write(String((err as Error).stack) + '\n');
    return err instanceof UserError && err.code === 'cancelled' ? 130 : 1;
  } finally {
    if (host) await (host as Host).close();
  }
}

/** Exits once stdout has been flushed: a piped --json object larger than the pipe buffer is never cut. */
export function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

function humanText(result: unknown): string {
  if (result === undefined || result === null) return 'done';
  if (typeof result === 'string') return result;
  return JSON.stringify(result, null, 2);
}

const isEntry = process.argv[1] && new URL(import.meta.url).pathname === (await import('node:fs')).realpathSync(process.argv[1]);
if (isEntry) {
  exitAfterFlush(await main(process.argv.slice(2)));
}
