import { lazy, Suspense, useEffect, useState } from 'react';
import { GenerateInput, GenerationSettingsInput, type PlaygroundOutput } from '../../../common/contract';
import type { EditorProps } from '../feature';
import { fmtNum, useCall, useJob } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { NumberInput } from '../../ui/NumberInput';
import { usePersistentState } from '../../ui/persist';
import { DatasetSelect, ModelInput, UserPicker } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';

const TextEditor = lazy(() => import('../../ui/TextEditor'));

type Tab = 'generate' | 'playground';

/** sha256 of the text as the browser sees it (the host stores templates by their own content hash on save). */
async function sha256(text: string): Promise<string> {
  if (!crypto.subtle) return '';
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Generate rationales for a dataset (job with users done, tokens/s, ETA) and try a template on one user. */
export function GenerateEditor({ input }: EditorProps) {
  const s = useServices();
  const want = (input.data as { tab?: Tab; at?: number } | undefined) ?? {};
  const [tab, setTab] = usePersistentState<Tab>('models.gen.tab', want.tab ?? 'generate');
  useEffect(() => {
    if (want.tab) setTab(want.tab);
  }, [want.at, want.tab, setTab]);
  const [dataset, setDataset] = usePersistentState('models.gen.dataset', '');
  const [backend, setBackend] = usePersistentState<'model' | 'endpoint'>('models.gen.backend', 'model');
  const [model, setModel] = usePersistentState('shared.model', '');
  const endpoint = useCall('models.endpoint', backend === 'endpoint' ? {} : null);

  // Templates: a stored one (by hash), or the text being edited.
  const [tplTick, setTplTick] = useState(0);
  const templates = useCall('templates.list', {}, tplTick);
  const [tplHash, setTplHash] = usePersistentState<string>('models.gen.template', '');
  const [body, setBody] = usePersistentState<string | null>('models.gen.body', null);
  const [tplName, setTplName] = usePersistentState('models.gen.tplName', 'my-template');
  const [localHash, setLocalHash] = useState('');
  const stored = templates.data?.templates.find((t) => t.hash === tplHash) ?? null;
  const dirty = body !== null && body !== (stored?.body ?? '');
  useEffect(() => {
    if (body === null) return;
    let live = true;
    void sha256(body).then((h) => live && setLocalHash(h));
    return () => {
      live = false;
    };
  }, [body]);

  const target = (): { model?: string; endpoint?: { url: string; model: string } } | null => {
    if (backend === 'model') return model.trim() ? { model: model.trim() } : null;
    const e = endpoint.data;
    return e?.url && e.model ? { endpoint: { url: e.url, model: e.model } } : null;
  };

  const saveTemplate = async () => {
    if (body === null) return;
    try {
      const t = await s.api.call('templates.save', { name: tplName.trim() || 'template', body });
      setTplHash(t.hash);
      setBody(t.body);
      setTplTick((x) => x + 1);
      s.notifications.info(`Template saved as ${t.hash.slice(0, 12)}.`);
    } catch (err) {
      s.notifications.error(err);
    }
  };

  return (
    <div className="editor-page models-generate" data-testid="models-generate">
      <header className="page-header">
        <h1>Rationale Generation</h1>
        <div className="segmented" role="tablist" aria-label="Generation views">
          {(['generate', 'playground'] as const).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
              {t === 'generate' ? 'Generate' : 'Playground'}
            </button>
          ))}
        </div>
      </header>
      <section className="section">
        <div className="form-grid">
          <label className="field" title="The dataset whose users get rationales">
            <span className="field-title">Dataset</span>
            <DatasetSelect value={dataset} onChange={setDataset} />
          </label>
          <label className="field" title="A local GGUF model, or the configured OpenAI-compatible endpoint">
            <span className="field-title">Backend</span>
            <select className="input" aria-label="Backend" value={backend} onChange={(e) => setBackend(e.target.value as 'model' | 'endpoint')}>
              <option value="model">Local model (GGUF)</option>
              <option value="endpoint">Endpoint (data leaves the machine)</option>
            </select>
          </label>
          {backend === 'model' ? (
            <label className="field">
              <span className="field-title">Model</span>
              <ModelInput value={model} onChange={setModel} />
            </label>
          ) : (
            <div className="field">
              <span className="field-title">Endpoint</span>
              {endpoint.data?.url ? (
                <span className="mono small">
                  {endpoint.data.url} · {endpoint.data.model}
                </span>
              ) : (
                <HostErrorBox
                  error={endpoint.error ?? new Error('No endpoint configured: Models › Configure Endpoint.')}
                  what="The endpoint backend"
                  methods={['models.endpoint']}
                />
              )}
              <span className="field-description warning-text">Prompts with user histories are sent to this server.</span>
            </div>
          )}
          <label className="field" title="A stored prompt template (content-addressed); edit below to make a new one">
            <span className="field-title">Template</span>
            <select
              className="input"
              aria-label="Template"
              value={tplHash}
              onChange={(e) => {
                setTplHash(e.target.value);
                setBody(null);
              }}
            >
              <option value="">(default template)</option>
              {templates.data?.templates.map((t) => (
                <option key={t.hash} value={t.hash}>
                  {t.name} · {t.hash.slice(0, 10)}
                </option>
              ))}
            </select>
            <span className="field-description mono" data-testid="template-hash">
              {dirty ? `unsaved · sha256 ${localHash.slice(0, 16)}` : stored ? `hash ${stored.hash.slice(0, 16)}` : 'the host default (stored on first use)'}
            </span>
          </label>
        </div>
        <details open={body !== null} onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && body === null && setBody(stored?.body ?? '')}>
          <summary>Edit template{dirty ? ' (unsaved)' : ''}</summary>
          {body !== null && (
            <>
              <div className="editor-host" data-testid="template-editor">
                <Suspense fallback={<div className="chart-placeholder">Loading editor…</div>}>
                  <TextEditor value={body} onChange={setBody} language="markdown" label="Template" />
                </Suspense>
              </div>
              <div className="row">
                <input className="input" aria-label="Template name" value={tplName} onChange={(e) => setTplName(e.target.value)} />
                <button className="button small" disabled={!body.trim() || !dirty} onClick={() => void saveTemplate()}>
                  Save Template
                </button>
                {stored && <span className="muted small">Variables: {stored.variables.join(', ') || '—'}</span>}
              </div>
            </>
          )}
        </details>
      </section>
      {tab === 'generate' ? (
        <GeneratePanel dataset={dataset} target={target()} template={tplHash || undefined} />
      ) : (
        <PlaygroundPanel
          dataset={dataset}
          target={target()}
          template={dirty ? undefined : tplHash || undefined}
          body={dirty ? (body ?? undefined) : undefined}
        />
      )}
    </div>
  );
}

interface Target {
  model?: string;
  endpoint?: { url: string; model: string };
}

function GeneratePanel({ dataset, target, template }: { dataset: string; target: Target | null; template?: string }) {
  const s = useServices();
  const [users, setUsers] = usePersistentState('models.gen.users', 10);
  const [parallel, setParallel] = usePersistentState('models.gen.parallel', 2);
  const [maxTokens, setMaxTokens] = usePersistentState('models.gen.maxTokens', 160);
  const [regenerate, setRegenerate] = usePersistentState('models.gen.regenerate', false);
  const [jobId, setJobId] = usePersistentState<number | null>('models.gen.job', null);
  const [error, setError] = useState<Error | null>(null);
  const job = useJob(jobId);
  const start = async () => {
    if (!target) return;
    setError(null);
    try {
      const r = await s.api.call('rationales.generate', {
        dataset,
        users,
        parallel,
        regenerate,
        settings: { maxTokens },
        ...(template ? { template } : {}),
        ...target,
      });
      setJobId(r.jobId);
    } catch (err) {
      setError(err as Error);
    }
  };
  const m = job?.progress.metrics;
  return (
    <section className="section" data-testid="generate-panel">
      <h2>Generate</h2>
      <div className="form-grid">
        <label className="field" title="How many users get a rationale (the first N without one, unless regenerating)">
          <span className="field-title">Users (N)</span>
          <NumberInput schema={GenerateInput.shape.users} aria-label="Users" value={users} onChange={setUsers} />
        </label>
        <label className="field" title="Sequences generated at once (one context per sequence)">
          <span className="field-title">Parallel (P)</span>
          <NumberInput schema={GenerateInput.shape.parallel} aria-label="Parallel" value={parallel} onChange={setParallel} />
        </label>
        <label className="field" title="Most tokens generated per rationale">
          <span className="field-title">Max tokens</span>
          <NumberInput schema={GenerationSettingsInput.shape.maxTokens} aria-label="Max tokens" value={maxTokens} onChange={setMaxTokens} />
        </label>
        <label className="field-inline" title="Also users who already have a rationale from this model and template">
          <input type="checkbox" checked={regenerate} onChange={(e) => setRegenerate(e.target.checked)} /> Regenerate existing
        </label>
      </div>
      <div className="row">
        <button className="button" disabled={!dataset || !target} onClick={() => void start()}>
          Start Generation
        </button>
        {!target && <span className="muted small">Choose a model (or configure an endpoint).</span>}
      </div>
      <HostErrorBox error={error} what="Rationale generation" methods={['rationales.generate']} />
      {job && <JobStatus job={job} label="Generation progress" extra={m?.tokensPerSecond ? `${fmtNum(m.tokensPerSecond, 3)} tokens/s` : undefined} />}
      {job && m && (
        <p className="muted small" data-testid="generation-counts">
          generated {m.generated ?? 0} · skipped {m.skipped ?? 0} · failed {m.failed ?? 0}
        </p>
      )}
    </section>
  );
}

function PlaygroundPanel({ dataset, target, template, body }: { dataset: string; target: Target | null; template?: string; body?: string }) {
  const s = useServices();
  const [user, setUser] = usePersistentState<number | null>('models.play.user', null);
  const [maxTokens, setMaxTokens] = usePersistentState('models.gen.maxTokens', 160);
  const [out, setOut] = usePersistentState<PlaygroundOutput | null>('models.play.out', null);
  const [templateB, setTemplateB] = usePersistentState('models.play.templateB', '');
  const [outB, setOutB] = usePersistentState<PlaygroundOutput | null>('models.play.outB', null);
  const templates = useCall('templates.list', {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async () => {
    if (!target || user === null) return;
    setBusy(true);
    setError(null);
    try {
      const base = { dataset, user, settings: { maxTokens }, ...target };
      setOut(await s.api.call('playground.run', { ...base, ...(body ? { body } : template ? { template } : {}) }));
      // Compare: the same user, model and seed settings under a second template.
      setOutB(templateB ? await s.api.call('playground.run', { ...base, template: templateB }) : null);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" data-testid="playground" style={{ maxWidth: 'none' }}>
      <h2>Playground</h2>
      <p className="muted small">Runs the template (or the unsaved text in the editor) on one user and shows the exact prompt; nothing is stored.</p>
      <div className="row">
        <UserPicker dataset={dataset} value={user} onChange={setUser} />
        <label className="field-inline" title="Most tokens generated">
          Max tokens
          <NumberInput
            schema={GenerationSettingsInput.shape.maxTokens}
            aria-label="Playground max tokens"
            style={{ width: 80 }}
            value={maxTokens}
            onChange={setMaxTokens}
          />
        </label>
        <label className="field-inline" title="Run a second template on the same user and show both side by side">
          Compare with
          <select className="input" aria-label="Compare with template" value={templateB} onChange={(e) => setTemplateB(e.target.value)}>
            <option value="">(no second template)</option>
            {templates.data?.templates.map((t) => (
              <option key={t.hash} value={t.hash}>
                {t.name} · {t.hash.slice(0, 10)}
              </option>
            ))}
          </select>
        </label>
        <button className="button" disabled={!target || user === null || busy} onClick={() => void run()}>
          {busy ? 'Running…' : 'Run'}
        </button>
      </div>
      <HostErrorBox error={error} what="The playground" methods={['playground.run']} />
      {out && !outB && <PlaygroundResult out={out} />}
      {out && outB && (
        <div className="view-cols" data-testid="playground-compare">
          <div>
            <h3>
              A: {out.template.name ?? '(unsaved)'} · {out.template.hash.slice(0, 10)}
            </h3>
            <PlaygroundResult out={out} stacked />
          </div>
          <div>
            <h3>
              B: {outB.template.name ?? '(unsaved)'} · {outB.template.hash.slice(0, 10)}
            </h3>
            <PlaygroundResult out={outB} stacked />
          </div>
        </div>
      )}
    </section>
  );
}

function PlaygroundResult({ out, stacked = false }: { out: PlaygroundOutput; stacked?: boolean }) {
  return (
    <div className={stacked ? '' : 'view-cols'} data-testid="playground-result">
      <div>
        <h3>Prompt (system)</h3>
        <pre className="streamed">{out.prompt.system}</pre>
        <h3>Prompt (user)</h3>
        <pre className="streamed" data-testid="playground-prompt">
          {out.prompt.user}
        </pre>
        <p className="muted small">
          {out.prompt.historyItems} history items{out.prompt.shortened ? `, shortened (${out.prompt.historyDropped} dropped)` : ''} · target:{' '}
          {out.target.title || out.target.originalId}
        </p>
      </div>
      <div>
        <h3>Output</h3>
        <pre className="streamed" data-testid="playground-output">
          {out.output}
        </pre>
        <h3>Rationale</h3>
        <div className="chain prewrap">{out.rationale || <span className="muted">(empty)</span>}</div>
        <table className="grid compact" aria-label="Playground figures">
          <tbody>
            <tr>
              <th>Tokens</th>
              <td data-testid="playground-tokens">
                {out.promptTokens} prompt + {out.completionTokens} completion
              </td>
            </tr>
            <tr>
              <th>Timings</th>
              <td>
                load {Math.round(out.timings.loadMs)} ms · render {Math.round(out.timings.renderMs)} ms · generate {Math.round(out.timings.generateMs)} ms ·{' '}
                {fmtNum(out.timings.tokensPerSecond, 3)} tokens/s
              </td>
            </tr>
            <tr>
              <th>Finish</th>
              <td>
                {out.finishReason}
                {out.repaired ? ' (repaired)' : ''} · seed {out.seed}
              </td>
            </tr>
            <tr>
              <th>Model</th>
              <td className="mono">
                {out.model.name} ({out.model.agentKind}){out.model.fileHash ? ` · ${out.model.fileHash.slice(0, 12)}` : ''}
              </td>
            </tr>
            <tr>
              <th>Template</th>
              <td className="mono">
                {out.template.name ?? '(unsaved)'} · {out.template.hash.slice(0, 16)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
