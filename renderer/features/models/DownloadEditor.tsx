import { useState } from 'react';
import { ACTIVE_STATES, RESUMABLE_STATES, jobFraction } from '../../services/jobs';
import { useStore } from '../../state/store';
import { fmtBytes, useCall, useJobsFinished } from '../../ui/host';
import { usePersistentState } from '../../ui/persist';
import { ProgressBar } from '../../ui/ProgressBar';
import { HostErrorBox } from '../../ui/Unavailable';
import { HostError } from '../../api/host-error';
import { useServices } from '../../workbench/services';
import { bumpModels } from './commands';
import { FitBadge, fmtParams } from './format';

/** Download by URL or hf: reference, or pick from the catalog; progress with pause (resumable), resume and cancel. */
export function DownloadEditor() {
  const s = useServices();
  const [source, setSource] = usePersistentState('models.download.source', '');
  const [error, setError] = useState<Error | null>(null);
  const finished = useJobsFinished(['models.']);
  const catalog = useCall('models.catalog', {}, finished);
  const jobs = useStore(s.jobs.jobs);
  const downloads = [...jobs.values()]
    .filter((j) => j.kind === 'models.download')
    .sort((a, b) => b.id - a.id)
    .slice(0, 8);

  const start = async (src: string) => {
    setError(null);
    try {
      await s.api.call('models.download', { source: src.trim() });
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <div className="editor-page models-download" data-testid="models-download">
      <header className="page-header">
        <h1>Download Model</h1>
      </header>
      <section className="section">
        <div className="row">
          <input
            className="input mono"
            style={{ flex: 1, minWidth: 360 }}
            aria-label="Model source"
            placeholder="https://…/model.gguf or hf:owner/repo/file.gguf or a catalog id"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && source.trim() && void start(source)}
          />
          <button className="button" disabled={!source.trim()} onClick={() => void start(source)}>
            Download
          </button>
        </div>
        <p className="muted small">
          Files go to the workspace's models/ folder and are added to the list when complete. A paused download resumes where it stopped.
        </p>
        <HostErrorBox error={error} what="Downloading models" methods={['models.download']} />
      </section>
      {downloads.length > 0 && (
        <section className="section" data-testid="downloads">
          <h2>Downloads</h2>
          {downloads.map((j) => {
            const p = j.progress;
            const active = ACTIVE_STATES.has(j.state);
            return (
              <div key={j.id} className="card" data-download={j.id} data-state={j.state} style={{ marginBottom: 6 }}>
                <div className="row">
                  <span className="strong">{j.title}</span>
                  <span className={`state state-${j.state}`}>{j.state}</span>
                </div>
                <div className="row">
                  <ProgressBar fraction={jobFraction(j)} indeterminate={active && jobFraction(j) === null} label={`Download ${j.id}`} />
                  <span className="muted small">
                    {p.done !== undefined ? fmtBytes(p.done) : ''}
                    {p.total ? ` of ${fmtBytes(p.total)}` : ''}
                    {p.rate ? ` · ${fmtBytes(p.rate)}/s` : ''}
                    {p.etaSeconds !== undefined && active ? ` · ETA ${Math.round(p.etaSeconds)} s` : ''}
                    {p.message ? ` · ${p.message}` : ''}
                  </span>
                  <span className="spacer" />
                  {active && (
                    <button
                      className="button secondary small"
                      title="Stop now; the partial file is kept and Resume continues it"
                      onClick={() => s.jobs.cancel(j.id).catch((e) => s.notifications.error(e))}
                    >
                      Pause
                    </button>
                  )}
                  {RESUMABLE_STATES.has(j.state) && (
                    <button className="button small" onClick={() => s.jobs.resume(j.id).catch((e) => s.notifications.error(e))}>
                      Resume
                    </button>
                  )}
                  {(active || RESUMABLE_STATES.has(j.state)) && (
                    <button
                      className="button secondary small"
                      title="Stop and delete the partial file"
                      onClick={() => s.api.call('models.downloadCancel', { jobId: j.id }).then(bumpModels, (e) => s.notifications.error(e))}
                    >
                      Cancel
                    </button>
                  )}
                </div>
                {j.error && <HostErrorBox error={new HostError(j.error)} />}
              </div>
            );
          })}
        </section>
      )}
      <section className="section" style={{ maxWidth: 'none' }}>
        <h2>Recommended models</h2>
        <HostErrorBox error={catalog.error} what="The model catalog" methods={['models.catalog']} />
        {catalog.data && (
          <table className="grid compact" aria-label="Catalog">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Params</th>
                <th>Quant.</th>
                <th className="num">Context</th>
                <th className="num">Size</th>
                <th>License</th>
                <th>Fit</th>
                <th>Notes</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {catalog.data.models.map((m) => (
                <tr key={m.id} data-catalog={m.id}>
                  <td title={m.hf}>
                    {m.name}
                    {m.paperModel && <span className="muted small"> · paper</span>}
                  </td>
                  <td className="num">{fmtParams(m.parameters)}</td>
                  <td>{m.quantization}</td>
                  <td className="num">{m.contextLength.toLocaleString('en-US')}</td>
                  <td className="num">{fmtBytes(m.sizeBytes)}</td>
                  <td>{m.license}</td>
                  <td>
                    <FitBadge fit={m.fit} />
                  </td>
                  <td className="wrap small">{m.notes}</td>
                  <td>
                    {m.downloaded ? (
                      <span className="muted small">downloaded</span>
                    ) : (
                      <button className="button small" onClick={() => void start(m.id)} aria-label={`Download ${m.name}`}>
                        Download
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
