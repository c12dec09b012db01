import type { RationaleSummary } from '../../../common/contract';
import type { EditorProps } from '../feature';
import { useCall } from '../../ui/host';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openDataset } from '../datasets/commands';

export interface RationaleRef {
  dataset: string;
  user: number;
  /** The version to highlight (a map point, a refinement winner). */
  versionId?: number | null;
  /** Text known already (a refinement winner not yet stored). */
  text?: string;
}

/** One user's rationales (every version, the referenced one highlighted), with a link to their history. */
export function RationaleDetail({ input }: EditorProps) {
  const s = useServices();
  const ref = input.data as RationaleRef;
  const list = useCall('rationales.list', { dataset: ref.dataset, user: ref.user, limit: 50 });
  return (
    <div className="editor-page rationale-detail" data-testid="rationale-detail" data-user={ref.user}>
      <header className="page-header">
        <h1>
          Rationale · {ref.dataset} · user #{ref.user}
        </h1>
        <button className="button secondary small" onClick={() => openDataset(s, ref.dataset, 'users')}>
          Open User History
        </button>
      </header>
      {ref.text && (
        <section className="section">
          <h2>Selected text</h2>
          <div className="chain winner prewrap">{ref.text}</div>
        </section>
      )}
      <HostErrorBox error={list.error} what="Rationales" methods={['rationales.list']} />
      {list.data && list.data.rows.length === 0 && <p className="muted">This user has no stored rationale.</p>}
      {list.data?.rows.map((r) => (
        <RationaleVersions key={r.id} id={r.id} summary={r} highlight={ref.versionId ?? null} />
      ))}
    </div>
  );
}

function RationaleVersions({ id, summary, highlight }: { id: number; summary: RationaleSummary; highlight: number | null }) {
  const detail = useCall('rationales.get', { id });
  return (
    <section className="section">
      <h2>
        Target: {summary.itemTitle || summary.itemOriginalId} <span className="muted small">(position {summary.targetPos + 1})</span>
      </h2>
      <HostErrorBox error={detail.error} />
      {(detail.data?.versionList ?? []).map((v) => (
        <div key={v.id} className={`chain${v.id === highlight ? ' winner' : ''}`} data-version={v.id}>
          <div className="muted small">
            v{v.version} · {v.agentKind} · {v.createdAt.slice(0, 19).replace('T', ' ')}
            {v.id === highlight && <strong className="em-1"> · selected</strong>}
          </div>
          <div className="prewrap">{v.text}</div>
        </div>
      ))}
    </section>
  );
}
