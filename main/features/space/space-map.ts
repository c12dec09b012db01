// The 2-D map of a space: behaviour and rationale embeddings of the same users projected together by a
// seeded PCA, once with the frozen encoder (before) and once through the trained towers (after). Each point
// carries the user so the UI can colour by attribute and open that user's rationale on click.
import { pca2 } from '../../base/linalg.js';

export interface MapPoint {
  userIdx: number;
  userOriginalId: string;
  kind: 'behaviour' | 'rationale';
  /** Whether the user's pair was trained on or held out for evaluation. */
  split: 'train' | 'holdout';
  rationaleVersionId: number | null;
  x: number;
  y: number;
}

export interface SpaceMap {
  before: MapPoint[];
  after: MapPoint[];
  explained: { before: [number, number]; after: [number, number] };
}

export interface MapUser {
  userIdx: number;
  userOriginalId: string;
  split: 'train' | 'holdout';
  rationaleVersionId: number | null;
}

function project(users: MapUser[], b: Float32Array[], r: Float32Array[], seed: number): { points: MapPoint[]; explained: [number, number] } {
  const { points, explained } = pca2([...b, ...r], seed);
  const n = users.length;
  const out: MapPoint[] = [];
  points.forEach(([x, y], i) => {
    const u = users[i % n]!;
    out.push({ ...u, kind: i < n ? 'behaviour' : 'rationale', x: round(x), y: round(y) });
  });
  return { points: out, explained };
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;

export function buildSpaceMap(
  users: MapUser[],
  before: { b: Float32Array[]; r: Float32Array[] },
  after: { b: Float32Array[]; r: Float32Array[] },
  seed = 0,
): SpaceMap {
  const pb = project(users, before.b, before.r, seed);
  const pa = project(users, after.b, after.r, seed);
  return { before: pb.points, after: pa.points, explained: { before: pb.explained, after: pa.explained } };
}
