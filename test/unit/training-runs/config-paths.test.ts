import { describe, expect, it } from 'vitest';
import { api } from '../../../common/contract/index.js';
import { sweepCombinations } from '../../../common/contract/training.js';
import { CONFIG_PATHS, configToSettings, resolveRunConfig, settingsFromObject, upgradeRunConfig } from '../../../main/features/training/run-config.js';

describe('one run-config shape: CONFIG_PATHS maps flat settings to the nested config both ways', () => {
  const pulse = resolveRunConfig({
    dataset: 'beauty',
    arch: 'pulse',
    preset: 'recbole',
    hidden: 48,
    heads: 3,
    auxWeight: 0.2,
    space: 7,
    textCorpus: ['a'],
    initFrom: 2,
  });

  it('settings -> config -> settings -> config is the identity, for SASRec and PULSE runs', () => {
    for (const cfg of [pulse, resolveRunConfig({ dataset: 'ml', seed: 3, trainFraction: 0.5 })]) {
      const s = configToSettings(cfg);
      expect(resolveRunConfig(s)).toEqual(cfg);
      // A config file written from the config reads back as the same settings.
      expect(settingsFromObject(JSON.parse(JSON.stringify(cfg)))).toEqual(s);
    }
  });

  it('puts each setting at its path', () => {
    expect(pulse.sasrec).toMatchObject({ hidden: 48, heads: 3 });
    expect(pulse.aux).toMatchObject({ weight: 0.2, space: 7, textCorpus: ['a'] });
    expect(CONFIG_PATHS.auxWeight).toBe('aux.weight');
    expect(resolveRunConfig({ dataset: 'x', auxWeight: 0.5 }).aux).toBeNull(); // PULSE settings of a SASRec run are dropped
  });

  it('refuses a nested key the table does not know, naming it', () => {
    expect(() => settingsFromObject({ sasrec: { hiddenSize: 3 } }, 'f.yaml')).toThrow(/sasrec\.hiddenSize/);
  });

  it('reads a stored config of an older version through upgradeRunConfig', () => {
    const old = JSON.parse(JSON.stringify(pulse));
    delete old.trainFraction;
    delete old.aux.itemSide;
    const up = upgradeRunConfig(old);
    expect(up.trainFraction).toBe(1);
    expect(up.aux?.itemSide).toBe('none');
  });
});

describe('train.sweep is checked at the door, every combination', () => {
  it('labels combinations in grid order', () => {
    expect(sweepCombinations({ auxWeight: [0.1, 0.2], seed: [1] }).map((c) => c.label)).toEqual(['auxWeight 0.1 seed 1', 'auxWeight 0.2 seed 1']);
  });

  it('refuses a value out of range before any handler runs', () => {
    const r = api['train.sweep'].input.safeParse({ settings: { dataset: 'x', arch: 'pulse' }, grid: { auxWeight: [0.1, -1] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/Sweep setting auxWeight -1: auxWeight/);
  });
});
