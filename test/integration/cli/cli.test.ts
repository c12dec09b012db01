import { afterAll, describe, expect, it } from 'vitest';
import { pulse } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

const ws = tempDir();
afterAll(() => ws.cleanup());
const W = ['--workspace', ws.dir];

describe('pulse command line', () => {
  it('lists its commands with --help', () => {
    const r = pulse(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['serve', 'import', 'datasets', 'jobs']) expect(r.stdout).toContain(c);
  });

  it('prints exactly one JSON object with --json', () => {
    const r = pulse(['jobs', ...W, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json).toEqual({ jobs: [] });
  });

  it('fails with a non-zero exit and a structured error for an unknown command', () => {
    const r = pulse(['frobnicate', ...W, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ error: { message: expect.stringContaining('frobnicate'), hint: expect.any(String) } });
    expect(Object.keys((r.json as { error: object }).error)).toEqual(expect.arrayContaining(['message', 'file', 'line', 'hint']));
  });

  it('explains a bad option with the usage', () => {
    const r = pulse(['import', 'x.txt', '--bogus', ...W, '--json']);
    expect(r.code).not.toBe(0);
    expect((r.json as { error: { hint: string } }).error.hint).toContain('pulse import');
  });

  it('names the missing file of an import, and leaves the workspace as it was', () => {
    const r = pulse(['import', '/nonexistent/ratings.csv', '--name', 'x', ...W, '--json']);
    expect(r.code).not.toBe(0);
    expect((r.json as { error: { file: string } }).error.file).toBe('/nonexistent/ratings.csv');
    expect(pulse(['datasets', ...W, '--json']).json).toEqual({ datasets: [] });
  });

  it('uses PULSE_WORKSPACE when --workspace is absent', () => {
    const r = pulse(['workspace', '--json'], { PULSE_WORKSPACE: ws.dir });
    expect(r.json).toMatchObject({ workspace: ws.dir });
  });
});
