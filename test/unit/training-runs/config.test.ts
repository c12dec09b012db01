import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../main/base/errors.js';
import { configOverrides, configToText, loadConfigFile, resolveRunConfig } from '../../../main/features/training/run-config.js';
import { PRESETS } from '../../../main/features/training/sasrec/config.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir('pulse-runcfg-');
afterEach(() => fs.rmSync(path.join(t.dir, 'x'), { recursive: true, force: true }));

describe('run config', () => {
  const settings = {
    dataset: 'beauty',
    arch: 'pulse' as const,
    preset: 'paper' as const,
    epochs: 7,
    hidden: 32,
    heads: 2,
    lr: 0.002,
    loss: 'ce' as const,
    auxWeight: 0.3,
    itemSide: 'text' as const,
    textCorpus: ['beauty', 'office'],
    initFrom: 4,
    trainFraction: 0.25,
    seed: 11,
  };

  for (const format of ['yaml', 'json'] as const) {
    it(`round-trips through ${format}: the file resolves to exactly the same config`, () => {
      const cfg = resolveRunConfig(settings);
      const file = path.join(t.dir, `run.${format}`);
      fs.writeFileSync(file, configToText(cfg, format));
      const back = resolveRunConfig({ dataset: 'ignored', ...loadConfigFile(file) });
      expect(back).toEqual(cfg);
      expect(back.sasrec).toEqual({ ...PRESETS.paper, hidden: 32, lr: 0.002, loss: 'ce', seed: 11 });
      expect(back.aux).toMatchObject({ weight: 0.3, kind: 'infonce', space: null, itemSide: 'text', textCorpus: ['beauty', 'office'] });
      expect(back).toMatchObject({ initFrom: 4, trainFraction: 0.25 });
    });
  }

  it('reads flat settings from YAML, with flags over file when merged', () => {
    const file = path.join(t.dir, 'flat.yml');
    fs.writeFileSync(file, 'dataset: ml\narch: sasrec\nhidden: 48\nheads: 4\nbatch: 64\nepochs: 3\n');
    const s = loadConfigFile(file);
    const cfg = resolveRunConfig({ dataset: 'ml', ...s, epochs: 5 });
    expect(cfg.sasrec).toMatchObject({ hidden: 48, heads: 4, batch: 64 });
    expect(cfg.epochs).toBe(5);
    expect(cfg.aux).toBeNull();
    expect(configOverrides(cfg)).toEqual({ hidden: 48, heads: 4, batch: 64 });
  });

  it('names the file and the bad key in errors', () => {
    const file = path.join(t.dir, 'bad.yaml');
    fs.writeFileSync(file, 'hidden: lots\nwhatever: 1\n');
    let err: unknown;
    try {
      loadConfigFile(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).file).toBe(file);
    expect((err as UserError).message).toMatch(/hidden/);
    const broken = path.join(t.dir, 'broken.json');
    fs.writeFileSync(broken, '{"hidden": ');
    expect(() => loadConfigFile(broken)).toThrow(/not valid JSON/);
    expect(() => resolveRunConfig({ dataset: 'x', hidden: 30, heads: 4 })).toThrow(/divisible/);
  });
});
