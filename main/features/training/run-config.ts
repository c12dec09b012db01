// A run's full config: preset + overrides resolved once, stored with the run, and written to / read from YAML or
// JSON so a run can be reproduced from its file. A config file holds either flat settings (the CLI's names) or
// a resolved config as written by configToText; both parse to the same settings.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { TrainSettings, type Arch } from '../../../common/contract/training.js';
import { UserError } from '../../base/errors.js';
import { PRESETS, resolveConfig, type PresetName, type SasrecConfig } from './sasrec/config.js';

export type ItemSide = 'none' | 'text' | 'rationales' | 'text+rationales';

/** PULSE's settings (docs/training-results.md explains each and the ablation behind the defaults). */
export interface AuxConfig {
  /** Weight of the alignment loss (0: no alignment; the item side may still use rationales). */
  weight: number;
  kind: 'cosine' | 'infonce';
  temperature: number;
  /** The alignment weight halves every this many epochs (0: constant). */
  halfLife: number;
  /** A trained Thought Space for the targets; null = TF-IDF fitted on the rationales. */
  space: number | null;
  /** TF-IDF/SVD width of the rationale targets (without a space). */
  dim: number;
  /** Only reviewed rationales (accepted or edited); by default pending ones count too (docs/review.md). */
  reviewedOnly: boolean;
  /** Align every training position that has a rationale, or only each user's latest one. */
  positions: 'all' | 'last';
  /** The item side: item text and/or the rationales that explain an item, fused with its ID embedding. */
  itemSide: ItemSide;
  /** Item text encoder: tfidf (fitted on the item text), gguf:PATH or onnx:DIR. */
  itemEncoder: string;
  /** TF-IDF/SVD width of the item text vectors. */
  itemDim: number;
  /** Datasets whose text the TF-IDF encoders are fitted on ([] = the run's own): several domains share one space. */
  textCorpus: string[];
}

export interface RunConfig {
  dataset: string;
  arch: Arch;
  preset: PresetName;
  sasrec: SasrecConfig;
  epochs: number;
  patience: number;
  evalEvery: number;
  metricEvery: number;
  checkpointSeconds: number;
  testProtocols: string[];
  negSeed: number;
  aux: AuxConfig | null;
  /** Start from this run's best weights (all but the item ID embeddings) and reuse its encoders. */
  initFrom: number | null;
  /** Share of users whose sequences are trained on (a seeded subset; every user is still evaluated). */
  trainFraction: number;
}

export const RUN_DEFAULTS = {
  epochs: 200,
  patience: 10,
  evalEvery: 1,
  metricEvery: 10,
  checkpointSeconds: 120,
  testProtocols: ['full', 'sampled:100'],
  negSeed: 12345,
  initFrom: null,
  trainFraction: 1,
};
export const AUX_DEFAULTS: AuxConfig = {
  weight: 0.1,
  kind: 'infonce',
  temperature: 0.1,
  halfLife: 0,
  space: null,
  dim: 64,
  reviewedOnly: false,
  positions: 'all',
  itemSide: 'text+rationales',
  itemEncoder: 'tfidf',
  itemDim: 64,
  textCorpus: [],
};
/** What runs created before these settings existed did (last position only, cosine, no item side). */
export const LEGACY_AUX: Partial<AuxConfig> = { halfLife: 0, positions: 'last', itemSide: 'none', itemEncoder: 'tfidf', itemDim: 64, textCorpus: [] };

const SASREC_KEYS = ['hidden', 'blocks', 'heads', 'inner', 'dropout', 'attnDropout', 'maxLen', 'lr', 'batch', 'loss', 'weightDecay', 'seed'] as const;

export function resolveRunConfig(s: TrainSettings): RunConfig {
  const preset = s.preset ?? 'default';
  const overrides: Partial<SasrecConfig> = {};
  for (const k of SASREC_KEYS) if (s[k] !== undefined) (overrides as Record<string, unknown>)[k] = s[k];
  let sasrec: SasrecConfig;
  try {
    sasrec = resolveConfig(preset, overrides);
  } catch (e) {
    throw new UserError(`Invalid settings: ${(e as Error).message}.`, {
      hint: 'Fix the setting named above; `pulse train --help` lists every setting and its range.',
      code: 'bad_config',
    });
  }
  const arch = s.arch ?? 'sasrec';
  return {
    dataset: s.dataset,
    arch,
    preset,
    sasrec,
    epochs: s.epochs ?? RUN_DEFAULTS.epochs,
    patience: s.patience ?? RUN_DEFAULTS.patience,
    evalEvery: s.evalEvery ?? RUN_DEFAULTS.evalEvery,
    metricEvery: s.metricEvery ?? RUN_DEFAULTS.metricEvery,
    checkpointSeconds: s.checkpointSeconds ?? RUN_DEFAULTS.checkpointSeconds,
    testProtocols: s.testProtocols ?? RUN_DEFAULTS.testProtocols,
    negSeed: s.negSeed ?? RUN_DEFAULTS.negSeed,
    aux:
      arch === 'pulse'
        ? {
            weight: s.auxWeight ?? AUX_DEFAULTS.weight,
            kind: s.auxKind ?? AUX_DEFAULTS.kind,
            temperature: s.auxTemperature ?? AUX_DEFAULTS.temperature,
            halfLife: s.auxHalfLife ?? AUX_DEFAULTS.halfLife,
            space: s.space ?? null,
            dim: s.auxDim ?? AUX_DEFAULTS.dim,
            reviewedOnly: s.reviewedOnly ?? AUX_DEFAULTS.reviewedOnly,
            positions: s.auxPositions ?? AUX_DEFAULTS.positions,
            itemSide: s.itemSide ?? AUX_DEFAULTS.itemSide,
            itemEncoder: s.itemEncoder ?? AUX_DEFAULTS.itemEncoder,
            itemDim: s.itemDim ?? AUX_DEFAULTS.itemDim,
            textCorpus: s.textCorpus ?? AUX_DEFAULTS.textCorpus,
          }
        : null,
    initFrom: s.initFrom ?? RUN_DEFAULTS.initFrom,
    trainFraction: s.trainFraction ?? RUN_DEFAULTS.trainFraction,
  };
}

/** A stored config as this version reads it: settings added since the run was created take their old behaviour. */
export function upgradeRunConfig(c: RunConfig): RunConfig {
  return {
    ...c,
    aux: c.aux ? { ...AUX_DEFAULTS, ...LEGACY_AUX, ...c.aux } : null,
    initFrom: c.initFrom ?? null,
    trainFraction: c.trainFraction ?? 1,
  };
}

/** The flat settings that resolve to exactly this config (every value explicit). */
export function configToSettings(c: RunConfig): TrainSettings {
  const s: TrainSettings = {
    dataset: c.dataset,
    arch: c.arch,
    preset: c.preset,
    epochs: c.epochs,
    patience: c.patience,
    evalEvery: c.evalEvery,
    metricEvery: c.metricEvery,
    checkpointSeconds: c.checkpointSeconds,
    testProtocols: [...c.testProtocols],
    negSeed: c.negSeed,
    trainFraction: c.trainFraction,
    ...c.sasrec,
  };
  if (c.initFrom !== null) s.initFrom = c.initFrom;
  if (c.aux) Object.assign(s, auxToSettings(c.aux));
  return s;
}

/** The flat setting names of the PULSE config (as the CLI, the form and config files spell them). */
function auxToSettings(a: Partial<AuxConfig>): Partial<TrainSettings> {
  return {
    auxWeight: a.weight,
    auxKind: a.kind,
    auxTemperature: a.temperature,
    auxHalfLife: a.halfLife,
    space: a.space,
    auxDim: a.dim,
    reviewedOnly: a.reviewedOnly,
    auxPositions: a.positions,
    itemSide: a.itemSide,
    itemEncoder: a.itemEncoder,
    itemDim: a.itemDim,
    textCorpus: a.textCorpus,
  };
}

/** Settings that differ from the preset's defaults (what the runs table shows). */
export function configOverrides(c: RunConfig): Record<string, unknown> {
  const base = PRESETS[c.preset];
  const out: Record<string, unknown> = {};
  for (const k of SASREC_KEYS) if (k !== 'seed' && c.sasrec[k] !== base[k]) out[k] = c.sasrec[k];
  if (c.aux)
    for (const [k, v] of Object.entries(c.aux))
      if (JSON.stringify(v) !== JSON.stringify((AUX_DEFAULTS as unknown as Record<string, unknown>)[k])) out[`aux.${k}`] = v;
  if (c.initFrom !== null) out.initFrom = c.initFrom;
  if (c.trainFraction !== 1) out.trainFraction = c.trainFraction;
  return out;
}

export function configToText(c: RunConfig, format: 'yaml' | 'json'): string {
  return format === 'json' ? JSON.stringify(c, null, 2) + '\n' : YAML.stringify(c);
}

/** Flattens a resolved config ({sasrec: {...}, aux: {...}}) into settings; flat settings pass through. */
export function settingsFromObject(obj: unknown, file = '(config)'): Partial<TrainSettings> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UserError(`${file} must hold a mapping of settings.`, { file, code: 'bad_config' });
  const o = { ...(obj as Record<string, unknown>) };
  if (o.sasrec && typeof o.sasrec === 'object') {
    Object.assign(o, o.sasrec);
    delete o.sasrec;
  }
  if ('aux' in o) {
    const a = o.aux as Partial<AuxConfig> | null;
    delete o.aux;
    if (a) Object.assign(o, auxToSettings(a));
  }
  if (o.initFrom === null) delete o.initFrom; // a resolved config's "no source run"
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  const r = TrainSettings.partial().safeParse(o);
  if (!r.success)
    throw new UserError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      file,
      hint: 'Keys are the settings of `pulse train` in camelCase (hidden, lr, batch, loss, epochs, auxWeight, ...), or a config written by `pulse runs show ID --config-out FILE`.',
      code: 'bad_config',
    });
  return r.data;
}

/** Reads a YAML (.yaml/.yml) or JSON config file. */
export function loadConfigFile(file: string): Partial<TrainSettings> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read the config file ${file}.`, { file, code: 'not_found' });
  }
  const ext = path.extname(file).toLowerCase();
  let obj: unknown;
  try {
    obj = ext === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new UserError(`${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`, {
      file,
      line,
      code: 'bad_config',
    });
  }
  return settingsFromObject(obj, file);
}
