import { lazy, Suspense, useMemo } from 'react';
import type { MetricPoint, RunSummary } from '../../../common/contract';
import type { ChartTrace } from '../../ui/Chart';
import { usePersistentState } from '../../ui/persist';
import { HostErrorBox } from '../../ui/Unavailable';
import { debiasedEma } from './smoothing';
import { useRunMetrics } from './use-metrics';

const Chart = lazy(() => import('../../ui/Chart'));

type XAxis = 'step' | 'epoch' | 'wall';

/** How one run's curve is drawn: its palette colour, dash and legend label. */
export interface CurveStyle {
  color: number;
  dash?: ChartTrace['dash'];
  label: string;
}

const defaultStyle = (r: RunSummary, i: number): CurveStyle => ({ color: i, label: `${r.name} (#${r.id})` });

/**
 * Training loss and a validation metric of several runs overlaid, live while they train: smoothing (raw values
 * faint behind), x axis by step, epoch or wall time, log scale. `styleOf` colours runs (the compare view colours
 * by side).
 */
export function Curves({ runs, styleOf = defaultStyle }: { runs: RunSummary[]; styleOf?: (r: RunSummary, i: number) => CurveStyle }) {
  const [smoothing, setSmoothing] = usePersistentState('training.smoothing', 0.6);
  const [xAxis, setXAxis] = usePersistentState<XAxis>('training.x', 'step');
  const [logY, setLogY] = usePersistentState('training.log', false);
  const [metric, setMetric] = usePersistentState('training.metric', 'valid.ndcg@10');
  const { points, error } = useRunMetrics(runs.map((r) => r.id));
  const names = useMemo(() => {
    const n = new Set<string>();
    for (const ps of points.values()) for (const p of ps) n.add(p.name);
    return [...n].sort();
  }, [points]);
  const validNames = names.filter((n) => n !== 'train.loss');
  const total = [...points.values()].reduce((a, p) => a + p.length, 0);
  const traces = (name: string): ChartTrace[] =>
    runs.flatMap((r, i) => {
      const ps = (points.get(r.id) ?? []).filter((p: MetricPoint) => p.name === name);
      if (!ps.length) return [];
      const x = ps.map((p) => (xAxis === 'step' ? p.step : xAxis === 'epoch' ? p.epoch : p.wall));
      const y = ps.map((p) => p.value);
      const { color, dash, label } = styleOf(r, i);
      const smooth = smoothing > 0 && ps.length > 2;
      const out: ChartTrace[] = [{ name: label, x, y, color, dash, faint: smooth, showlegend: !smooth, mode: ps.length < 3 ? 'lines+markers' : 'lines' }];
      if (smooth) out.push({ name: label, x, y: debiasedEma(y, smoothing), color, dash, width: 2 });
      return out;
    });
  const xTitle = xAxis === 'wall' ? 'wall time (s)' : xAxis;
  return (
    <section className="section curves" data-testid="curves" data-points={total} style={{ maxWidth: 'none' }}>
      <div className="controls">
        <label title="Exponential moving average, debiased as TensorBoard does; the raw values stay faint behind">
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} aria-label="Smoothing" value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
          <span className="mono">{smoothing.toFixed(2)}</span>
        </label>
        <div className="segmented" role="tablist" aria-label="X axis">
          {(['step', 'epoch', 'wall'] as const).map((x) => (
            <button
              key={x}
              role="tab"
              aria-selected={xAxis === x}
              className={xAxis === x ? 'active' : ''}
              onClick={() => setXAxis(x)}
              title={x === 'wall' ? 'Seconds since the run started' : `Training ${x}`}
            >
              {x === 'wall' ? 'wall time' : x}
            </button>
          ))}
        </div>
        <label title="Logarithmic y axis">
          <input type="checkbox" aria-label="Log scale" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> Log scale
        </label>
        <label title="Validation metric in the right chart">
          Metric
          <select className="input" aria-label="Validation metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {[...new Set([metric, ...validNames])].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {runs.length === 0 ? 'Select runs in the table to draw their curves.' : `${runs.length} run${runs.length > 1 ? 's' : ''} · ${total} points`}
        </span>
      </div>
      <HostErrorBox error={error} what="Metric curves" methods={['runs.metrics']} />
      <div className="view-cols">
        <div className="card chart-card" data-testid="loss-chart">
          <h2>train.loss</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Chart traces={traces('train.loss')} xTitle={xTitle} yTitle="loss" logY={logY} label="Training loss" />
          </Suspense>
        </div>
        <div className="card chart-card" data-testid="valid-chart">
          <h2>{metric}</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Chart traces={traces(metric)} xTitle={xTitle} yTitle={metric} logY={logY} label={`Validation ${metric}`} />
          </Suspense>
        </div>
      </div>
    </section>
  );
}
