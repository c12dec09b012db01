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

/** A setting of the contract (TrainSettings) that the config stores; name and group are the run row's, not the config's. */
export type ConfigSetting = Exclude<keyof TrainSettings, 'name' | 'group'>;

/** Where a value lives in RunConfig: a top-level field, `sasrec.<field>` or `aux.<field>` (PULSE runs only). */
export type ConfigPath = Exclude<keyof RunConfig, 'sasrec' | 'aux'> | `sasrec.${keyof SasrecConfig & string}` | `aux.${keyof AuxConfig & string}`;

/**
 * The one mapping between the flat settings (the contract's TrainSettings: CLI flags, the New Run form, config
 * files) and the nested RunConfig stored with a run. Both directions (resolveRunConfig, configToSettings,
 * settingsFromObject) and the overrides of the runs table are derived from it; a setting or a config field
 * missing here is a compile error (_everyFieldCovered below).
 */
export const CONFIG_PATHS = {
  dataset: 'dataset',
  arch: 'arch',
  preset: 'preset',
  epochs: 'epochs',
  patience: 'patience',
  evalEvery: 'evalEvery',
  metricEvery: 'metricEvery',
  checkpointSeconds: 'checkpointSeconds',
  testProtocols: 'testProtocols',
  negSeed: 'negSeed',
  initFrom: 'initFrom',
  trainFraction: 'trainFraction',
  hidden: 'sasrec.hidden',
  blocks: 'sasrec.blocks',
  heads: 'sasrec.heads',
  inner: 'sasrec.inner',
  dropout: 'sasrec.dropout',
  attnDropout: 'sasrec.attnDropout',
  maxLen: 'sasrec.maxLen',
  lr: 'sasrec.lr',
  batch: 'sasrec.batch',
  loss: 'sasrec.loss',
  weightDecay: 'sasrec.weightDecay',
  seed: 'sasrec.seed',
  auxWeight: 'aux.weight',
  auxKind: 'aux.kind',
  auxTemperature: 'aux.temperature',
  auxHalfLife: 'aux.halfLife',
  space: 'aux.space',
  auxDim: 'aux.dim',
  reviewedOnly: 'aux.reviewedOnly',
  auxPositions: 'aux.positions',
  itemSide: 'aux.itemSide',
  itemEncoder: 'aux.itemEncoder',
  itemDim: 'aux.itemDim',
  textCorpus: 'aux.textCorpus',
} as const satisfies Record<ConfigSetting, ConfigPath>;

/** Every config field has its setting (the table above is total both ways). */
const _everyFieldCovered: Exclude<ConfigPath, (typeof CONFIG_PATHS)[ConfigSetting]> extends never ? true : never = true;

const ENTRIES = Object.entries(CONFIG_PATHS) as [ConfigSetting, ConfigPath][];
const SETTING_AT = new Map<string, ConfigSetting>(ENTRIES.map(([k, p]) => [p, k]));
/** A config's "none" that the flat settings spell by leaving the setting out (no source run). */
const ABSENT_WHEN_NULL: ReadonlySet<ConfigSetting> = new Set(['initFrom']);

/** [group, field] of a path: group is null for a top-level field. */
function splitPath(p: ConfigPath): [group: 'sasrec' | 'aux' | null, field: string] {
  const dot = p.indexOf('.');
  return dot < 0 ? [null, p] : [p.slice(0, dot) as 'sasrec' | 'aux', p.slice(dot + 1)];
}

/** The value at a path of a config (or a config-shaped object); undefined where its group is absent (aux: null). */
function valueAt(c: object, p: ConfigPath): unknown {
  const [group, field] = splitPath(p);
  const holder = group ? (c as Record<string, unknown>)[group] : c;
  return holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[field] : undefined;
}

/**
 * Settings (already valid: the contract's schema checked them at the door) resolved over the preset and the
 * defaults into the config a run stores. The one check left is across fields the flat schema cannot see
 * together with the preset's values (hidden divisible by heads).
 */
export function resolveRunConfig(s: TrainSettings): RunConfig {
  const preset = s.preset ?? 'default';
  const arch = s.arch ?? 'sasrec';
  const { initFrom, trainFraction, ...loop } = structuredClone(RUN_DEFAULTS);
  const c: RunConfig = {
    dataset: s.dataset,
    arch,
    preset,
    sasrec: { ...PRESETS[preset] },
    ...loop,
    aux: arch === 'pulse' ? structuredClone(AUX_DEFAULTS) : null,
    initFrom,
    trainFraction,
  };
  for (const [key, p] of ENTRIES) {
    const v = s[key];
    if (v === undefined) continue;
    const [group, field] = splitPath(p);
    const holder = group ? c[group] : c;
    if (holder) (holder as unknown as Record<string, unknown>)[field] = v;
  }
  try {
    c.sasrec = resolveConfig(preset, c.sasrec);
  } catch (e) {
    throw new UserError(`Invalid settings: ${(e as Error).message}.`, {
      hint: 'Fix the setting named above; `pulse train --help` lists every setting and its range.',
      code: 'bad_config',
    });
  }
  return c;
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
  const s: Record<string, unknown> = {};
  for (const [key, p] of ENTRIES) {
    const v = valueAt(c, p);
    if (v === undefined || (v === null && ABSENT_WHEN_NULL.has(key))) continue;
    s[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return s as TrainSettings;
}

/** Settings that differ from the preset's defaults (what the runs table shows): SASRec ones by their setting name, PULSE ones as aux.<field>. */
export function configOverrides(c: RunConfig): Record<string, unknown> {
  const base = PRESETS[c.preset];
  const out: Record<string, unknown> = {};
  for (const [key, p] of ENTRIES) {
    const [group, field] = splitPath(p);
    const v = valueAt(c, p);
    if (group === 'sasrec' && key !== 'seed' && v !== base[field as keyof SasrecConfig]) out[key] = v;
    if (group === 'aux' && c.aux && JSON.stringify(v) !== JSON.stringify((AUX_DEFAULTS as unknown as Record<string, unknown>)[field])) out[p] = v;
  }
  if (c.initFrom !== null) out.initFrom = c.initFrom;
  if (c.trainFraction !== 1) out.trainFraction = c.trainFraction;
  return out;
}

export function configToText(c: RunConfig, format: 'yaml' | 'json'): string {
  return format === 'json' ? JSON.stringify(c, null, 2) + '\n' : YAML.stringify(c);
}

/**
 * Flattens a resolved config ({sasrec: {...}, aux: {...}}) into settings through CONFIG_PATHS; flat settings pass
 * through. A config file comes in at the CLI door, so it is checked here, against the contract's schema, naming the
 * file (a nested key the table does not know stays as `sasrec.<key>` or `aux.<key>`, which the schema refuses).
 */
export function settingsFromObject(obj: unknown, file = '(config)'): Partial<TrainSettings> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UserError(`${file} must hold a mapping of settings.`, { file, code: 'bad_config' });
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if ((k === 'sasrec' || k === 'aux') && v && typeof v === 'object' && !Array.isArray(v))
      for (const [field, x] of Object.entries(v)) o[SETTING_AT.get(`${k}.${field}`) ?? `${k}.${field}`] = x;
    else if (k !== 'aux' || v !== null) o[k] = v; // aux: null is a SASRec run's "no PULSE settings"
  }
  for (const k of ABSENT_WHEN_NULL) if (o[k] === null) delete o[k];
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
