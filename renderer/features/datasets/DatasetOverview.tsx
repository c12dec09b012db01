import { lazy, Suspense } from 'react';
import type { DatasetStats } from '../../../common/contract';
import { fmtInt } from '../../services/jobs';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import { useCall } from '../../ui/host';

const Plot = lazy(() => import('../../ui/Plot'));

export function DatasetOverview({ name }: { name: string }) {
  const s = useServices();
  const version = useStore(s.datasets.version);
  const { data, error, loading } = useCall('datasets.stats', { name }, version);
  if (error)
    return (
      <div className="error-box" role="alert">
        Could not load statistics: {error.message}
      </div>
    );
  if (!data) return <div className="empty-state">{loading ? 'Loading statistics…' : ''}</div>;
  return <Overview stats={data} />;
}

function Overview({ stats }: { stats: DatasetStats }) {
  const splitTotal = stats.split.train + stats.split.valid + stats.split.test || 1;
  return (
    <div className="overview" data-testid="dataset-overview">
      <div className="stat-cards">
        <Stat label="Users" value={fmtInt(stats.users)} testId="stat-users" />
        <Stat label="Items" value={fmtInt(stats.items)} testId="stat-items" />
        <Stat label="Interactions" value={fmtInt(stats.interactions)} testId="stat-interactions" />
        <Stat label="Density" value={`${(stats.density * 100).toPrecision(3)}%`} testId="stat-density" />
        <Stat
          label="History length"
          value={`${fmtNum(stats.sequenceLength.mean)} mean`}
          sub={`min ${fmtInt(stats.sequenceLength.min)} · median ${fmtNum(stats.sequenceLength.median)} · max ${fmtInt(stats.sequenceLength.max)}`}
        />
      </div>
      <div className="overview-grid">
        <section className="card">
          <h2>Split</h2>
          <div className="split-bar" aria-hidden>
            <span className="split-train" style={{ flexGrow: stats.split.train }} />
            <span className="split-valid" style={{ flexGrow: stats.split.valid }} />
            <span className="split-test" style={{ flexGrow: stats.split.test }} />
          </div>
          <table className="grid compact" data-testid="split-table">
            <tbody>
              {(['train', 'valid', 'test'] as const).map((k) => (
                <tr key={k}>
                  <td>
                    <span className={`split-dot split-${k}`} /> {k}
                  </td>
                  <td className="num">{fmtInt(stats.split[k])}</td>
                  <td className="num muted">{((stats.split[k] / splitTotal) * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Source</h2>
          <dl className="about">
            <dt>Format</dt>
            <dd>{stats.format}</dd>
            <dt>Source</dt>
            <dd title={stats.source}>{stats.source}</dd>
            <dt>Fields</dt>
            <dd data-testid="dataset-fields">{datasetFields(stats)}</dd>
            <dt>Content hash</dt>
            <dd className="mono" title={stats.contentHash}>
              {stats.contentHash.slice(0, 16)}
            </dd>
          </dl>
        </section>
        <section className="card chart-card" data-testid="length-histogram">
          <h2>History length per user</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Plot
              kind="bar"
              x={stats.lengthHistogram.map((b) => (b.to - b.from <= 1 ? String(b.from) : `${b.from}–${b.to - 1}`))}
              y={stats.lengthHistogram.map((b) => b.count)}
              xTitle="interactions per user"
              yTitle="users"
            />
          </Suspense>
        </section>
        <section className="card chart-card" data-testid="popularity-chart">
          <h2>Item popularity (long tail)</h2>
          <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
            <Plot
              kind="line"
              x={stats.popularity.map((p) => p.rank)}
              y={stats.popularity.map((p) => p.count)}
              xTitle="item rank"
              yTitle="interactions (log)"
              logY
            />
          </Suspense>
        </section>
      </div>
    </div>
  );
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="stat-card" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

/** What the import found besides the interactions, e.g. "ratings, timestamps, item titles (12,101 of 12,101 items)". */
function datasetFields(stats: DatasetStats): string {
  const titles =
    stats.itemsWithTitles > 0 &&
    `item titles${stats.itemsWithTitles < stats.items ? ` (${fmtInt(stats.itemsWithTitles)} of ${fmtInt(stats.items)} items)` : ''}`;
  return (
    [stats.hasRatings && 'ratings', stats.hasReviews && 'reviews', stats.hasTimestamps && 'timestamps', titles].filter(Boolean).join(', ') ||
    'interactions only'
  );
}

function fmtNum(n: number): string {
  return n >= 100 ? fmtInt(n) : n.toFixed(1).replace(/\.0$/, '');
}
