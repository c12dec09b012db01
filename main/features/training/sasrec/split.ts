// Leave-one-out split: train = seq[:-2], valid target = seq[-2], test target = seq[-1].
export interface LeaveOneOut {
  /** Training part of each user's sequence (what the trainer sees). */
  train: Int32Array[];
  /** History for validation (= train) and its target. */
  validTarget: Int32Array;
  /** History for test (= seq[:-1]) and its target. */
  testHistory: Int32Array[];
  testTarget: Int32Array;
}

export function leaveOneOut(sequences: readonly Int32Array[]): LeaveOneOut {
  const n = sequences.length;
  const out: LeaveOneOut = { train: [], validTarget: new Int32Array(n), testHistory: [], testTarget: new Int32Array(n) };
  sequences.forEach((s, u) => {
    if (s.length < 3) throw new RangeError(`user ${u} has ${s.length} items; leave-one-out needs at least 3`);
    out.train.push(s.slice(0, s.length - 2));
    out.validTarget[u] = s[s.length - 2]!;
    out.testHistory.push(s.slice(0, s.length - 1));
    out.testTarget[u] = s[s.length - 1]!;
  });
  return out;
}

/** Parses S3-Rec text (`user item item ...`); users with fewer than minLen items are dropped. */
export function parseS3Rec(text: string, minLen = 3): { sequences: Int32Array[]; nItems: number } {
  const sequences: Int32Array[] = [];
  let nItems = 0;
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length - 1 < minLen) continue;
    const s = Int32Array.from(parts.slice(1), Number);
    for (const v of s) if (v > nItems) nItems = v;
    sequences.push(s);
  }
  return { sequences, nItems };
}
