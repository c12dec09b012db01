import { useEffect, useMemo, useState } from 'react';
import { TrainSettings } from '../../../common/contract';
import { useCall } from '../../ui/host';
import { usePersistentState } from '../../ui/persist';
import { DatasetSelect } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openRuns } from './commands';
import type { EditorProps } from '../feature';
import { PRIMARY, settingsInput, trainFields, type FieldSpec } from './form-fields';
import { SweepSection } from './SweepSection';

type Values = Record<string, string>;

/**
 * Every TrainSettings field with its description as the tooltip; the preset's value shows as the placeholder.
 * Start one run, or a sweep: the same settings as the base, some of them varied.
 */
export function NewRunEditor({ input: editor }: EditorProps) {
  const s = useServices();
  const want = (editor.data as { sweep?: boolean; at?: number } | undefined) ?? {};
  const [sweep, setSweep] = usePersistentState('training.new.sweep', false);
  useEffect(() => {
    if (want.sweep) setSweep(true);
    // "New Sweep…" opens the form with its sweep section (the `at` stamp makes a repeat open count).
  }, [want.at, setSweep]);
  const fields = useMemo(trainFields, []);
  const [values, setValues] = usePersistentState<Values>('training.new.values', { arch: 'sasrec', preset: 'default', epochs: '20' });
  const [more, setMore] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const presets = useCall('train.presets', {});
  const spaces = useCall('space.list', {});
  const input = settingsInput(fields, values);
  const parsed = TrainSettings.safeParse(input);
  const issues = new Map<string, string>();
  if (!parsed.success) for (const i of parsed.error.issues) issues.set(String(i.path[0] ?? ''), i.message);
  const preset = presets.data?.presets[values.preset || 'default'] ?? {};
  const set = (k: string, v: string) => setValues((p) => ({ ...p, [k]: v }));

  const start = async () => {
    if (!parsed.success) return;
    setBusy(true);
    setError(null);
    try {
      const r = await s.api.call('train.start', parsed.data);
      openRuns(s, [r.runId]);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const field = (f: FieldSpec) => {
    const id = `train-${f.key}`;
    const label = f.key;
    const v = values[f.key] ?? '';
    const ph = preset[f.key] !== undefined ? String(preset[f.key]) : '';
    let control;
    if (f.key === 'dataset') control = <DatasetSelect value={v} onChange={(x) => set('dataset', x)} title={f.description} />;
    else if (f.kind === 'enum' || f.kind === 'bool')
      control = (
        <select id={id} className="input" aria-label={label} title={f.description} value={v} onChange={(e) => set(f.key, e.target.value)}>
          <option value="">{ph ? `(preset: ${ph})` : '(default)'}</option>
          {f.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    else if (f.kind === 'space')
      control = (
        <select id={id} className="input" aria-label={label} title={f.description} value={v} onChange={(e) => set(f.key, e.target.value)}>
          <option value="">(built-in TF-IDF)</option>
          {spaces.data?.spaces
            .filter((sp) => sp.state === 'ready')
            .map((sp) => (
              <option key={sp.id} value={sp.id}>
                {sp.name} ({sp.dataset})
              </option>
            ))}
        </select>
      );
    else
      control = (
        <input
          id={id}
          className="input"
          aria-label={label}
          title={f.description}
          type={f.kind === 'int' || f.kind === 'number' ? 'number' : 'text'}
          step={f.kind === 'int' ? 1 : 'any'}
          min={f.min}
          max={f.max}
          placeholder={ph || (f.kind === 'list' ? 'full, sampled:100' : '')}
          value={v}
          aria-invalid={issues.has(f.key)}
          onChange={(e) => set(f.key, e.target.value)}
        />
      );
    return (
      <label key={f.key} className="field" title={f.description} data-field={f.key}>
        <span className="field-title">{f.key}</span>
        {control}
        <span className="field-description">{f.description}</span>
        {issues.has(f.key) && <span className="field-error">{issues.get(f.key)}</span>}
      </label>
    );
  };

  return (
    <div className="editor-page training-new" data-testid="training-new">
      <header className="page-header">
        <h1>New Training Run</h1>
      </header>
      <section className="section">
        <div className="form-grid">{fields.filter((f) => PRIMARY.includes(f.key)).map(field)}</div>
        <button className="link-button" onClick={() => setMore(!more)} aria-expanded={more}>
          {more ? '▾' : '▸'} More settings ({fields.length - PRIMARY.length})
        </button>
        {more && <div className="form-grid">{fields.filter((f) => !PRIMARY.includes(f.key)).map(field)}</div>}
        <div className="row">
          <button className="button" disabled={!parsed.success || busy} onClick={() => void start()}>
            Start Training
          </button>
          {!parsed.success && <span className="field-error">{[...issues.entries()].map(([k, m]) => `${k}: ${m}`).join(' · ')}</span>}
        </div>
        <HostErrorBox error={error} what="Training" methods={['train.start']} />
        <HostErrorBox error={presets.error} what="Training" methods={['train.presets']} />
      </section>
      <section className="section">
        <button className="link-button" onClick={() => setSweep(!sweep)} aria-expanded={sweep}>
          {sweep ? '▾' : '▸'} Sweep over settings
        </button>
        {sweep && <SweepSection fields={fields} base={parsed.success ? parsed.data : null} />}
      </section>
    </div>
  );
}
