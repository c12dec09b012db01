import { useStore } from '../../state/store';
import { fmtBytes, useCall, useJobsFinished } from '../../ui/host';
import { AddIcon, RefreshIcon, TrashIcon } from '../../ui/icons';
import { SideBarItem } from '../../ui/SideBarItem';
import { Unavailable } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { addModelByPath, bumpModels, modelsVersion, openDownload, openEndpoint, openGenerate, openModel } from './commands';
import { FitBadge, fmtParams } from './format';

/** Registered models with their header facts and memory fit; entry points to download, endpoint and generation. */
export function ModelsSideBar() {
  const s = useServices();
  const version = useStore(modelsVersion);
  const finished = useJobsFinished(['models.']);
  const editors = useStore(s.editors.state);
  const list = useCall('models.list', {}, `${version}:${finished}`);
  const report = (p: Promise<unknown>) => void p.catch((e) => s.notifications.error(e));
  return (
    <div className="models-sidebar">
      <div className="sidebar-toolbar">
        <button className="button small" onClick={() => report(addModelByPath(s))} title="Add Model by Path (a GGUF file or a folder)">
          <AddIcon /> Add…
        </button>
        <button className="button secondary small" onClick={() => openDownload(s)} title="Download Model">
          Download…
        </button>
        <span className="spacer" />
        <button className="icon-button" title="Refresh Models" aria-label="Refresh Models" onClick={bumpModels}>
          <RefreshIcon />
        </button>
      </div>
      {list.unavailable && <Unavailable what="The model manager" methods={['models.list']} />}
      {list.error && !list.unavailable && (
        <div className="sidebar-message error-text" role="alert">
          Could not list models: {list.error.message}
        </div>
      )}
      {list.data?.loaded && (
        <div className="sidebar-message muted small" data-testid="loaded-model">
          Loaded: {list.data.loaded.name} ({list.data.loaded.threads} threads, context {list.data.loaded.contextSize})
        </div>
      )}
      {list.data && list.data.models.length === 0 && (
        <div className="sidebar-message">
          <p>No models yet. Add a GGUF file or folder, or download one from the catalog.</p>
        </div>
      )}
      <ul className="list" aria-label="Models">
        {list.data?.models.map((m) => (
          <SideBarItem
            key={m.id}
            className="model-item"
            data={{ 'data-model': m.name }}
            selected={editors.active === `model:${m.id}`}
            onOpen={() => openModel(s, m)}
            main={
              <>
                <span className="list-item-title" title={m.path}>
                  {m.name}
                </span>
                <FitBadge fit={m.fit} />
              </>
            }
            sub={
              <>
                <span title="Architecture">{m.metadata.architecture}</span>
                <span title="Parameters">{fmtParams(m.metadata.parameters)}</span>
                <span title="Quantization">{m.metadata.quantization}</span>
                <span title="Context length">ctx {m.metadata.contextLength ?? '—'}</span>
                <span title="Chat template">{m.metadata.hasChatTemplate ? 'chat' : 'no chat template'}</span>
                <span title="Size on disk">{fmtBytes(m.metadata.fileBytes)}</span>
                {m.stale && <span className="error-text">{m.stale}</span>}
              </>
            }
            actions={[
              {
                label: `Remove ${m.name}`,
                title: 'Remove from the list (the file stays)',
                icon: <TrashIcon />,
                run: () => report(s.api.call('models.remove', { id: m.id }).then(bumpModels)),
              },
            ]}
          />
        ))}
      </ul>
      <div className="sidebar-section">
        <h3>Use models</h3>
        <div className="sidebar-actions">
          <button className="button secondary small" onClick={() => openGenerate(s, 'generate')}>
            Generate Rationales…
          </button>
          <button className="button secondary small" onClick={() => openGenerate(s, 'playground')}>
            Prompt Playground
          </button>
          <button className="button secondary small" onClick={() => openEndpoint(s)}>
            Endpoint Backend…
          </button>
        </div>
      </div>
    </div>
  );
}
