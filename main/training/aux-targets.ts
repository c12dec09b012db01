// PULSE's alignment targets: for each training sequence, the Thought-Space embedding of that user's curated
// rationale (the rationale tower of a trained space, or the built-in TF-IDF/SVD encoder fitted on the
// rationales), or nothing for a user without one. Computed once per run and cached in the run's folder, so a
// resumed run aligns to exactly the same vectors even if rationales were curated in between.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../app/errors.js';
import { readCheckpointFile, writeCheckpointFile } from './engine/checkpoint-file.js';
import { loadSpacePairs } from '../thought-space/space-data.js';
import { embedWithSpace } from '../thought-space/space-embed.js';
import { TfidfEncoder } from '../thought-space/tfidf-encoder.js';
import type { Workspace } from '../workspace/workspace.js';
import type { AuxConfig } from './run-config.js';
import type { RunData } from './run-data.js';

export const AUX_TARGETS_FILE = 'aux-targets.bin';

export interface AuxTargets {
  /** One entry per training sequence (RunData.train order). */
  targets: (Float32Array | undefined)[];
  /** The rationale version behind each target. */
  used: { userIdx: number; versionId: number }[];
  encoder: string;
}

export async function buildAuxTargets(ws: Workspace, data: RunData, aux: AuxConfig, seed: number): Promise<AuxTargets> {
  const { pairs } = loadSpacePairs(ws.db, data.datasetName, { includePending: !aux.reviewedOnly });
  const slot = new Map<number, number>(Array.from(data.users, (u, i) => [u, i]));
  const usable = pairs.filter((p) => slot.has(p.userIdx) && p.rationale.trim());
  if (!usable.length)
    throw new UserError(`PULSE needs rationales, and dataset "${data.datasetName}" has none.`, {
      hint: `Draft extractive ones with \`pulse rationales draft --dataset ${data.datasetName}\` or generate them with an SLM first.`,
      code: 'no_rationales',
    });
  const texts = usable.map((p) => p.rationale);
  let vectors: Float32Array[];
  let encoder: string;
  if (aux.space !== null) {
    vectors = [];
    for (let i = 0; i < texts.length; i += 256) vectors.push(...(await embedWithSpace(ws, aux.space, texts.slice(i, i + 256), 'rationale')));
    encoder = `space:${aux.space}`;
  } else {
    const enc = TfidfEncoder.fit(texts, { dim: aux.dim, seed });
    vectors = texts.map((t) => enc.encodeOne(t));
    encoder = enc.id;
  }
  const targets: (Float32Array | undefined)[] = new Array(data.train.length).fill(undefined);
  const used: { userIdx: number; versionId: number }[] = [];
  usable.forEach((p, i) => {
    const v = vectors[i]!;
    // A text with no known term maps to zeros: no direction to align to, so no target.
    if (!v.some((x) => x !== 0)) return;
    targets[slot.get(p.userIdx)!] = v;
    used.push({ userIdx: p.userIdx, versionId: p.versionId });
  });
  if (!used.length) throw new UserError('None of the rationales has a usable embedding.', { code: 'no_rationales' });
  return { targets, used, encoder };
}

export function saveAuxTargets(dir: string, t: AuxTargets): void {
  const slots: number[] = [];
  t.targets.forEach((v, i) => v && slots.push(i));
  const k = t.targets[slots[0]!]!.length;
  const flat = new Float32Array(slots.length * k);
  slots.forEach((s, j) => flat.set(t.targets[s]!, j * k));
  writeCheckpointFile(path.join(dir, AUX_TARGETS_FILE), { kind: 'aux-targets', n: t.targets.length, k, slots, used: t.used, encoder: t.encoder }, [
    { name: 'targets', data: flat },
  ]);
}

export function loadAuxTargets(dir: string, nSequences: number): AuxTargets | null {
  const file = path.join(dir, AUX_TARGETS_FILE);
  if (!fs.existsSync(file)) return null;
  const { header, arrays } = readCheckpointFile(file);
  if (header.kind !== 'aux-targets' || header.n !== nSequences) throw new Error(`${file} does not match this run's data`);
  const k = header.k as number;
  const flat = arrays.get('targets') as Float32Array;
  const targets: (Float32Array | undefined)[] = new Array(nSequences).fill(undefined);
  (header.slots as number[]).forEach((s, j) => (targets[s] = flat.slice(j * k, (j + 1) * k)));
  return { targets, used: header.used as AuxTargets['used'], encoder: header.encoder as string };
}
