import { useEffect, useMemo, useState } from 'react';
import type { RunSummary } from '../../../common/contract';
import type { EditorProps } from '../feature';
import { useCall, useJobsFinished } from '../../ui/host';
import { usePersistentState } from '../../ui/persist';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openUserView } from './commands';
import { ComparisonTable } from './ComparisonTable';
import { Curves, type CurveStyle } from './Curves';
import { pairBySeed, type Sides } from './run-groups';
import { SIDE_COLOR, SIDE_LABEL, SidePicker } from './SidePicker';

const METRICS = ['ndcg@10', 'hr@10', 'mrr@10', 'ndcg@5', 'hr@5', 'ndcg@20', 'hr@20'];
const DASHES: CurveStyle['dash'][] = ['solid', 'dash', 'dot'];

/**
 * Side A (the baseline) against side B, each a run or a set of runs (seeds, a sweep): their curves overlaid,
 * the test metric side by side with the gain and p-values over seeds and users, the segments, and a way into
 * one user's lists.
 */
export function CompareEditor({ input }: EditorProps) {
  const want = (input.data as { sides?: Sides | null; at?: number } | undefined) ?? {};
  const [sides, setSides] = usePersistentState<Sides>('training.compare.sides', { a: [], b: [] });
  const [metric, setMetric] = usePersistentState('training.compare.metric', 'ndcg@10');
  const [protocol, setProtocol] = usePersistentState('training.compare.protocol', 'full');
  useEffect(() => {
    if (want.sides) setSides(want.sides);
    // Opening again with other runs (the `at` stamp) replaces the sides.
  }, [want.at, setSides]);
  const finished = useJobsFinished(['train.']);
  const list = useCall('runs.list', { includeArchived: true }, finished);
  const runs = useMemo(() => list.data?.runs ?? [], [list.data]);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const sideRuns = (ids: number[]) => ids.map((id) => byId.get(id)).filter((r): r is RunSummary => r !== undefined);
  const A = sideRuns(sides.a);
  const B = sideRuns(sides.b);
  const dataset = [...A, ...B][0]?.dataset ?? null;
  const protocols = [...new Set(['full', ...[...A, ...B].flatMap((r) => Object.keys(r.test))])];
  const ready = sides.a.length > 0 && sides.b.length > 0;
  const cmp = useCall('runs.compareSets', ready ? { a: sides.a, b: sides.b, metric, protocol } : null, finished);
  const styleOf = (r: RunSummary): CurveStyle => {
    const side = sides.a.includes(r.id) ? 'a' : 'b';
    const i = (side === 'a' ? sides.a : sides.b).indexOf(r.id);
    return { color: SIDE_COLOR[side], dash: DASHES[i % DASHES.length], label: `${side.toUpperCase()} · ${r.name} (#${r.id})` };
  };

  return (
    <div className="editor-page training-compare" data-testid="training-compare">
      <header className="page-header">
        <h1>Compare Runs</h1>
        {dataset && <span className="muted">{dataset}</span>}
        <span className="spacer" />
        <label className="field-inline" title="Test metric of the table (full ranking unless a sampled protocol is chosen)">
          Metric
          <select className="input" aria-label="Test metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="field-inline" title="Evaluation protocol of the test results compared">
          Protocol
          <select className="input" aria-label="Protocol" value={protocol} onChange={(e) => setProtocol(e.target.value)}>
            {protocols.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <button
          className="button secondary small"
          onClick={() => setSides({ a: sides.b, b: sides.a })}
          disabled={!sides.a.length && !sides.b.length}
          title="Make B the baseline"
        >
          Swap A and B
        </button>
      </header>
      <HostErrorBox error={list.error} what="Training runs" methods={['runs.list']} />
      <p className="muted small">
        Side A is the baseline: gains are (B − A) / A and differences B − A. A side holds one run or several (seeds, a sweep); the runs table selects a group
        with its header row.
      </p>
      <div className="view-cols">
        {(['a', 'b'] as const).map((side) => (
          <SidePicker key={side} side={side} ids={sides[side]} runs={runs} dataset={dataset} onChange={(ids) => setSides((p) => ({ ...p, [side]: ids }))} />
        ))}
      </div>
      {!ready && <div className="empty-state">Put at least one run on each side.</div>}
      {ready && (
        <section className="section" style={{ maxWidth: 'none' }}>
          <h2>Test {metric}</h2>
          <HostErrorBox error={cmp.error} what="Set comparisons" methods={['runs.compareSets']} />
          {cmp.loading && !cmp.data && <div className="busy">Comparing…</div>}
          {cmp.data && <ComparisonTable cmp={cmp.data} runs={runs} />}
        </section>
      )}
      {ready && <PerUser a={A} b={B} />}
      {(A.length > 0 || B.length > 0) && <Curves runs={[...A, ...B]} styleOf={styleOf} />}
    </div>
  );
}

/** Which run of each side a user's lists come from (paired by seed), and the way into that view. */
function PerUser({ a, b }: { a: RunSummary[]; b: RunSummary[] }) {
  const s = useServices();
  const pair = pairBySeed(a, b);
  const [chosenX, setX] = useState(0);
  const [chosenY, setY] = useState(0);
  if (!pair) return null;
  // A choice stands while its run is still on its side; otherwise the runs paired by seed.
  const x = a.some((r) => r.id === chosenX) ? chosenX : pair[0].id;
  const y = b.some((r) => r.id === chosenY) ? chosenY : pair[1].id;
  const pick = (side: 'a' | 'b', rs: RunSummary[], v: number, set: (v: number) => void) => (
    <select className="input" aria-label={`Run of side ${SIDE_LABEL[side]} for the per-user view`} value={v} onChange={(e) => set(Number(e.target.value))}>
      {rs.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name} #{r.id} · seed {r.seed}
        </option>
      ))}
    </select>
  );
  return (
    <section className="section" data-testid="compare-per-user">
      <h2>Per user</h2>
      <div className="row">
        {pick('a', a, x, setX)}
        <span className="muted">against</span>
        {pick('b', b, y, setY)}
        <button className="button small" onClick={() => openUserView(s, { runs: [x, y] })}>
          Open a User Side by Side…
        </button>
      </div>
    </section>
  );
}
