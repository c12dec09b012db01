// `space.embed` for the rest of the workbench: the Tree-of-Thought refinement scores candidate rationales by
// cosine to the user's behaviour embedding, and the PULSE model aligns each user's sequence representation
// with the embedding of the curated rationale. Opened spaces are cached (a GGUF encoder is slow to load).
import path from 'node:path';
import type { Workspace } from '../../platform/workspace/workspace.js';
import { UserError } from '../../base/errors.js';
import { loadItems, trainingHistory } from './space-data.js';
import { behaviourText } from './behaviour-text.js';
import { ThoughtSpace, type TowerName } from './space-model.js';
import { getSpace } from './space-store.js';
import { cosine } from '../../base/linalg.js';

const MAX_OPEN = 2;
const open = new Map<string, Promise<ThoughtSpace>>();

/** The trained space `spaceId` of a workspace, opened once and kept (at most two at a time). */
export async function openSpace(ws: Workspace, spaceId: number, o: { threads?: number } = {}): Promise<ThoughtSpace> {
  const rec = getSpace(ws.db, spaceId);
  if (rec.state !== 'ready') throw new UserError(`Thought Space ${spaceId} is ${rec.state}, not ready.`, { code: 'bad_state' });
  const key = `${ws.dir}#${spaceId}`;
  let p = open.get(key);
  if (!p) {
    if (open.size >= MAX_OPEN) {
      const [oldKey, old] = open.entries().next().value as [string, Promise<ThoughtSpace>];
      open.delete(oldKey);
      void old.then((s) => s.dispose()).catch(() => undefined);
    }
    p = ThoughtSpace.open(path.resolve(ws.dir, rec.artifactDir), o);
    p.catch(() => open.delete(key));
    open.set(key, p);
  }
  return p;
}

/** Unit vectors in the space for `texts`, from the behaviour or the rationale tower. */
export async function embedWithSpace(ws: Workspace, spaceId: number, texts: string[], tower: TowerName): Promise<Float32Array[]> {
  return (await openSpace(ws, spaceId)).embed(texts, tower);
}

/**
 * The behaviour text of a user in the space's format (training history up to and including `targetPos`,
 * or the last training item when not given): what Tree-of-Thought embeds with the behaviour tower.
 */
export function userBehaviourText(ws: Workspace, datasetId: number, userIdx: number, targetPos?: number, maxHistory = 20): string {
  const pos =
    targetPos ??
    (ws.db.prepare("SELECT MAX(pos) FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND split = 'train'").pluck().get(datasetId, userIdx) as
      number | null);
  if (pos === null || pos === undefined) throw new UserError(`User ${userIdx} has no training interaction.`, { code: 'bad_target' });
  const split = ws.db
    .prepare('SELECT split, item_idx FROM interaction_split WHERE dataset_id = ? AND user_idx = ? AND pos = ?')
    .get(datasetId, userIdx, pos) as { split: string; item_idx: number } | undefined;
  if (!split || split.split !== 'train') throw new UserError(`Position ${pos} of user ${userIdx} is not a training item (leakage rule).`, { code: 'leakage' });
  const items = loadItems(ws.db, datasetId);
  return behaviourText(
    trainingHistory(ws.db, datasetId, userIdx, pos).map((i) => items[i]!),
    items[split.item_idx]!,
    maxHistory,
  );
}

/** Cosine of each candidate rationale to one behaviour text, in the space (higher = closer). */
export async function scoreRationales(ws: Workspace, spaceId: number, behaviour: string, candidates: string[]): Promise<number[]> {
  const space = await openSpace(ws, spaceId);
  const [b] = await space.embed([behaviour], 'behaviour');
  const rs = await space.embed(candidates, 'rationale');
  return rs.map((r) => cosine(b!, r));
}

/** Releases every cached space (workspace switch, shutdown, tests). */
export async function closeSpaces(): Promise<void> {
  const all = [...open.values()];
  open.clear();
  for (const p of all) await (await p.catch(() => null))?.dispose();
}
