import { useStore } from '../../state/store';
import type { EditorProps } from '../feature';
import { fmtBytes, useCall } from '../../ui/host';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { bumpModels, modelsVersion, openGenerate } from './commands';
import { FitBadge, fmtParams } from './format';

/** One registered model: its GGUF header, the memory estimate, load/unload/remove. */
export function ModelEditor({ input }: EditorProps) {
  const s = useServices();
  const id = (input.data as { id: number }).id;
  const version = useStore(modelsVersion);
  const list = useCall('models.list', {}, version);
  const m = list.data?.models.find((x) => x.id === id) ?? null;
  const loaded = list.data?.loaded?.id === id;
  const act = (p: Promise<unknown>) => void p.then(bumpModels, (e) => s.notifications.error(e));
  if (list.error) return <HostErrorBox error={list.error} what="The model manager" methods={['models.list']} />;
  if (!m) return <div className="empty-state">{list.loading ? 'Loading…' : `Model ${id} is not registered.`}</div>;
  const md = m.metadata;
  const rows: [string, string][] = [
    ['Architecture', md.architecture],
    ['Parameters', `${fmtParams(md.parameters)} (${md.parameters.toLocaleString('en-US')})`],
    ['Quantization', md.quantization + (md.fileType ? ` (${md.fileType})` : '')],
    ['Context length', md.contextLength !== null ? md.contextLength.toLocaleString('en-US') : '—'],
    ['Chat template', md.hasChatTemplate ? 'yes' : 'no'],
    ['Size', fmtBytes(md.fileBytes) + (md.parts.length > 1 ? ` in ${md.parts.length} parts` : '')],
    ['Layers / heads / KV heads', `${md.layers ?? '—'} / ${md.heads ?? '—'} / ${md.headsKv ?? '—'}`],
    ['Embedding / vocabulary', `${md.embeddingLength ?? '—'} / ${md.vocabularySize ?? '—'}`],
    ['GGUF version', String(md.ggufVersion)],
    ['File', m.path],
    ['Hash', m.hash],
    ['Added', m.addedAt.slice(0, 19).replace('T', ' ')],
  ];
  return (
    <div className="editor-page model-editor" data-testid="model-editor" data-model={m.name}>
      <header className="page-header">
        <h1>{m.name}</h1>
        <FitBadge fit={m.fit} />
        <span className="spacer" />
        {loaded ? (
          <button className="button secondary small" onClick={() => act(s.api.call('models.unload', {}))}>
            Unload
          </button>
        ) : (
          <button
            className="button small"
            onClick={() => act(s.api.call('models.load', { id }))}
            title="Load into memory now (generation loads on demand otherwise)"
          >
            Load
          </button>
        )}
        <button className="button secondary small" onClick={() => openGenerate(s, 'playground')}>
          Try in Playground
        </button>
        <button
          className="button secondary small"
          onClick={() =>
            act(
              s.dialogs
                .confirm({
                  title: 'Remove Model',
                  message: `Remove “${m.name}” from the list? The file stays on disk.`,
                  confirmLabel: 'Remove',
                  destructive: true,
                })
                .then(async (ok) => {
                  if (ok) {
                    await s.api.call('models.remove', { id });
                    s.editors.close(`model:${id}`);
                  }
                }),
            )
          }
        >
          Remove
        </button>
      </header>
      {m.stale && <div className="warning-box">The file is {m.stale} since it was added.</div>}
      <section className="section">
        <table className="grid compact" aria-label="Model metadata">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th style={{ width: 220, textAlign: 'left' }}>{k}</th>
                <td className={k === 'File' || k === 'Hash' ? 'mono' : ''}>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="section">
        <h2>Memory</h2>
        <p>
          <FitBadge fit={m.fit} /> {m.fit.explanation}
        </p>
        <p className="muted small">
          Needs about {fmtBytes(m.fit.needBytes)} at context {m.fit.contextSize} × {m.fit.sequences} sequence(s); {fmtBytes(m.fit.availableBytes)} of{' '}
          {fmtBytes(m.fit.totalBytes)} available.
        </p>
        {loaded && list.data?.loaded && (
          <p className="muted small">
            Loaded with {list.data.loaded.threads} threads, context {list.data.loaded.contextSize}, {list.data.loaded.parallel} parallel, GPU{' '}
            {list.data.loaded.gpu ? 'on' : 'off'} ({Math.round(list.data.loaded.loadMs)} ms).
          </p>
        )}
      </section>
    </div>
  );
}
