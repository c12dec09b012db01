import { useEffect, useState } from 'react';
import { useCall } from '../../ui/host';
import { HostErrorBox } from '../../ui/Unavailable';
import { WarningIcon } from '../../ui/icons';
import { useServices } from '../../workbench/services';

const DEFAULT_WARNING = 'With an endpoint, prompts (user histories and item texts) are sent to that server: the data leaves this machine.';

/** The OpenAI-compatible endpoint backend: URL, model name and API key, with the data-leaves-the-machine warning. */
export function EndpointEditor() {
  const s = useServices();
  const [tick, setTick] = useState(0);
  const cfg = useCall('models.endpoint', {}, tick);
  const [url, setUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [models, setModels] = useState<string[] | null>(null);
  useEffect(() => {
    if (cfg.data) {
      setUrl(cfg.data.url ?? '');
      setModel(cfg.data.model ?? '');
    }
  }, [cfg.data]);
  const save = async (clear = false) => {
    setError(null);
    try {
      const r = await s.api.call(
        'models.endpointConfigure',
        clear ? { url: null, model: null, apiKey: null } : { url: url.trim() || null, model: model.trim() || null, ...(apiKey ? { apiKey } : {}) },
      );
      setModels(r.models);
      setApiKey('');
      setTick((t) => t + 1);
      s.notifications.info(clear ? 'Endpoint cleared.' : 'Endpoint saved.');
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <div className="editor-page models-endpoint" data-testid="models-endpoint">
      <header className="page-header">
        <h1>Endpoint Backend</h1>
      </header>
      <div className="warning-box" role="note" data-testid="endpoint-warning">
        <WarningIcon /> <strong>Data leaves this machine.</strong> {cfg.data?.warning || DEFAULT_WARNING}
      </div>
      {cfg.unavailable ? (
        <HostErrorBox error={cfg.error} what="The endpoint backend" methods={['models.endpoint', 'models.endpointConfigure']} />
      ) : (
        <section className="section">
          <HostErrorBox error={cfg.error} />
          <div className="form-grid">
            <label className="field" title="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1">
              <span className="field-title">URL</span>
              <input className="input mono" aria-label="Endpoint URL" placeholder="https://host/v1" value={url} onChange={(e) => setUrl(e.target.value)} />
            </label>
            <label className="field" title="Model name the server knows">
              <span className="field-title">Model name</span>
              <input className="input mono" aria-label="Endpoint model" list="endpoint-models" value={model} onChange={(e) => setModel(e.target.value)} />
              <datalist id="endpoint-models">
                {models?.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </label>
            <label className="field" title="Kept in the OS secret storage, never in the workspace; leave empty to keep the stored key">
              <span className="field-title">API key</span>
              <input
                className="input mono"
                type="password"
                autoComplete="off"
                aria-label="API key"
                placeholder={cfg.data?.hasApiKey ? '•••••• (stored)' : '(none)'}
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
              />
              {cfg.data?.hasApiKey && (
                <span className="field-description">A key is stored{cfg.data.keyPersistent ? ' in the OS secret storage' : ' for this session only'}.</span>
              )}
            </label>
          </div>
          <div className="row">
            <button className="button" disabled={!url.trim() || !model.trim()} onClick={() => void save()}>
              Save Endpoint
            </button>
            <button className="button secondary" onClick={() => void save(true)}>
              Clear
            </button>
          </div>
          <HostErrorBox error={error} />
          {models && <p className="muted small">The server lists {models.length} model(s).</p>}
        </section>
      )}
    </div>
  );
}
