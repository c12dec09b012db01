import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../common/contract';
import { pairBySeed, splitSides, tableRows } from '../../renderer/features/training/run-groups';

function run(id: number, o: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run ${id}`,
    dataset: 'd',
    datasetHash: 'h',
    arch: 'sasrec',
    preset: 'default',
    seed: 1,
    group: null,
    state: 'succeeded',
    archived: false,
    jobId: null,
    epochs: 1,
    bestEpoch: 1,
    seconds: 1,
    sequencesPerSecond: null,
    best: {},
    last: {},
    test: {},
    overrides: {},
    createdAt: '',
    updatedAt: '',
    ...o,
  };
}

describe('runs table rows', () => {
  it("gathers a group's runs under one header where its newest run stands", () => {
    const runs = [run(6, { group: 'g2' }), run(5), run(4, { group: 'g1' }), run(3, { group: 'g2' }), run(2, { group: 'g1' }), run(1)];
    const rows = tableRows(runs).map((r) => (r.kind === 'group' ? `[${r.group}: ${r.runs.map((x) => x.id).join(',')}]` : `${r.run.id}${r.grouped ? 'g' : ''}`));
    expect(rows).toEqual(['[g2: 6,3]', '6g', '3g', '5', '[g1: 4,2]', '4g', '2g', '1']);
  });
});

describe('comparison sides from a selection', () => {
  const sasrec = [1, 2, 3].map((seed, i) => run(10 + i, { seed, group: 'sasrec seeds' }));
  const pulse = [1, 2, 3].map((seed, i) => run(5 + i, { seed, arch: 'pulse', group: 'pulse seeds' }));
  const all = [...pulse, ...sasrec];

  it('two groups: the SASRec group is the baseline even when it is newer', () => {
    expect(
      splitSides(
        all,
        all.map((r) => r.id),
      ),
    ).toEqual({ a: [10, 11, 12], b: [5, 6, 7] });
  });

  it('two groups of the same architecture: the older group is the baseline', () => {
    const x = [run(1, { group: 'x' }), run(2, { group: 'x' })];
    const y = [run(3, { group: 'y' }), run(4, { group: 'y' })];
    expect(splitSides([...y, ...x], [4, 3, 2, 1])).toEqual({ a: [1, 2], b: [3, 4] });
  });

  it('ungrouped runs of two architectures split by architecture, SASRec first', () => {
    const runs = [run(1, { arch: 'pulse' }), run(2), run(3, { arch: 'pulse' }), run(4)];
    expect(splitSides(runs, [1, 2, 3, 4])).toEqual({ a: [2, 4], b: [1, 3] });
  });

  it('two runs of one architecture: the older is the baseline', () => {
    expect(splitSides([run(9), run(3)], [9, 3])).toEqual({ a: [3], b: [9] });
  });

  it('anything else goes to side A, B left to pick', () => {
    expect(splitSides([run(1), run(2), run(3)], [3, 1, 2])).toEqual({ a: [1, 2, 3], b: [] });
    expect(splitSides([run(1)], [])).toEqual({ a: [], b: [] });
  });

  it('pairs runs of the two sides by seed for the per-user view', () => {
    const [x, y] = pairBySeed([run(1, { seed: 4 }), run(2, { seed: 2 })], [run(3, { seed: 2 }), run(5, { seed: 9 })])!;
    expect([x.id, y.id]).toEqual([2, 3]);
    expect(pairBySeed([run(1, { seed: 1 })], [run(2, { seed: 2 })])!.map((r) => r.id)).toEqual([1, 2]);
    expect(pairBySeed([], [run(2)])).toBeNull();
  });
});
