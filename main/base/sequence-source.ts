/**
 * A read-only list of item-id sequences (oldest first) that may live outside memory: an array, or a source that
 * reads one sequence per call (a packed file, the workspace's SQLite). Training and ranking take either, so
 * their memory grows with the model and a batch, not with the data.
 */
export interface SequenceSource {
  readonly length: number;
  /** Sequence u (0 <= u < length): a fresh or shared array; do not modify it. */
  get(u: number): Int32Array;
}

export type Sequences = readonly Int32Array[] | SequenceSource;

/** The source behind either form. */
export function sequenceSource(s: Sequences): SequenceSource {
  if (!Array.isArray(s)) return s as SequenceSource;
  const arr = s as readonly Int32Array[];
  return { length: arr.length, get: (u) => arr[u]! };
}

/** Sequences u0 .. u1 - 1 as an array (a chunk for a scorer). */
export function sequenceRange(s: SequenceSource, u0: number, u1: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let u = u0; u < Math.min(u1, s.length); u++) out.push(s.get(u));
  return out;
}
