/**
 * The addon without a system BLAS: built here with PULSE_NATIVE_BLAS=none into its own folder (as on a machine
 * without libopenblas-dev), it loads, `pulse doctor` names it and says why, and for it and for the default
 * build a training run killed with SIGKILL and resumed from its last checkpoint ends with exactly the weights
 * of an uninterrupted run.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulse } from '../../support/cli.js';
import { repoRoot, tempDir } from '../../support/temp.js';

const hasCompiler = spawnSync(process.env.CXX || 'c++', ['--version'], { stdio: 'ignore' }).status === 0;
const DEFAULT_ADDON = path.join(repoRoot, 'native', 'build', 'Release', 'pulse_kernels.node');
const t = tempDir('pulse-native-build-');
const builtinAddon = path.join(t.dir, 'builtin', 'build', 'Release', 'pulse_kernels.node');
const bundle = path.join(repoRoot, '.cache', 'test-training', `train-child-${process.pid}.mjs`);

function runChild(addon: string, file: string, resume: boolean, killAfter?: number): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, file, ...(resume ? ['--resume'] : [])], { env: { ...process.env, PULSE_NATIVE_ADDON: addon } });
    const lines: string[] = [];
    let buf = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (killAfter !== undefined && !killed && line === `CKPT ${killAfter}`) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`train child failed (${code}): ${err}`));
      else resolve({ lines, killed });
    });
  });
}

describe.skipIf(!hasCompiler)(`native kernels without OpenBLAS${hasCompiler ? '' : ' (skipped: no C++ compiler, set CXX)'}`, () => {
  beforeAll(async () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-native.mjs'), '--out', path.join(t.dir, 'builtin')], {
      env: { ...process.env, PULSE_NATIVE_BLAS: 'none' },
      encoding: 'utf8',
    });
    if (!fs.existsSync(builtinAddon)) throw new Error(`the no-BLAS build failed:\n${r.stdout}\n${r.stderr}`);
    await build({
      entryPoints: [path.join(repoRoot, 'test/support/train-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: bundle,
      logLevel: 'warning',
    });
  }, 600_000);
  afterAll(() => {
    t.cleanup();
    fs.rmSync(bundle, { force: true });
  });

  it('links no BLAS library, and `pulse doctor` reports native+builtin and why', () => {
    const ldd = spawnSync('ldd', [builtinAddon], { encoding: 'utf8' });
    if (ldd.status === 0) expect(ldd.stdout).not.toMatch(/blas/i);
    const r = pulse(['doctor', '--json'], { PULSE_NATIVE_ADDON: builtinAddon });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ kernels: { variant: 'native+builtin', reason: expect.stringMatching(/own SGEMM/), addon: builtinAddon } });
    const text = pulse(['doctor'], { PULSE_NATIVE_ADDON: builtinAddon }).stdout;
    expect(text).toContain('training kernels: native+builtin');
  });

  it('`pulse doctor` says why it falls back to the TypeScript kernels', () => {
    expect(pulse(['doctor', '--json'], { PULSE_KERNELS: 'js' }).json).toMatchObject({ kernels: { variant: 'typescript', reason: 'PULSE_KERNELS=js is set' } });
    const missing = pulse(['doctor', '--json'], { PULSE_NATIVE_ADDON: path.join(t.dir, 'nope.node') }).json as { kernels: { variant: string; reason: string } };
    expect(missing.kernels.variant).toBe('typescript');
    expect(missing.kernels.reason).toMatch(/failed to load/);
  });

  const variants = [
    ['built-in SGEMM', () => builtinAddon, 'native+builtin'],
    ['default build', () => DEFAULT_ADDON, null],
  ] as const;
  for (const [name, addon, variant] of variants) {
    it.skipIf(name === 'default build' && !fs.existsSync(DEFAULT_ADDON))(
      `${name}: SIGKILL mid-training, resume from the last checkpoint: the same weights as an uninterrupted run`,
      async () => {
        const full = await runChild(addon(), path.join(t.dir, `full-${variant ?? 'default'}.ckpt`), false);
        expect(full.lines[0]).toMatch(variant ? `KERNELS ${variant}` : /KERNELS native\+/);
        const done = full.lines.at(-1)!;
        expect(done).toMatch(/^DONE \d+ [0-9a-f]{64}$/);
        const file = path.join(t.dir, `killed-${variant ?? 'default'}.ckpt`);
        const killed = await runChild(addon(), file, false, 17);
        expect(killed.killed).toBe(true);
        expect(killed.lines.some((l) => l.startsWith('DONE'))).toBe(false);
        const resumed = await runChild(addon(), file, true);
        expect(resumed.lines.at(-1)).toBe(done);
      },
      300_000,
    );
  }
});
