import { useState } from 'react';
import { Name, SWEEP_MAX_RUNS, type TrainSettings } from '../../../common/contract';
import { usePersistentState } from '../../ui/persist';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openRuns } from './commands';
import type { FieldSpec } from './form-fields';
import { sweepable, sweepPlan, type GridRow } from './sweep-grid';

const FIRST_ROWS: GridRow[] = [
  { key: 'auxWeight', values: '0.05, 0.1, 0.2' },
  { key: 'seed', values: '1, 2, 3' },
];

/**
 * A sweep over the form's settings: settings to vary and their values; one run per combination, trained one
 * after another in one job (progress and cancel in the runs view and the Jobs panel), the runs one group.
 */
export function SweepSection({ fields, base }: { fields: FieldSpec[]; base: TrainSettings | null }) {
  const s = useServices();
  const [rows, setRows] = usePersistentState<GridRow[]>('training.sweep.rows', FIRST_ROWS);
  const [name, setName] = usePersistentState('training.sweep.name', '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const options = sweepable(fields);
  const plan = sweepPlan(fields, rows, base ?? {});
  const nameError = name.trim() && !Name.safeParse(name.trim()).success ? 'Use letters, digits, spaces, dots, dashes or underscores' : null;
  const tooMany = plan.runs > SWEEP_MAX_RUNS;
  const ok = base !== null && plan.errors.size === 0 && plan.runs > 0 && !tooMany && !nameError;
  const set = (i: number, r: Partial<GridRow>) => setRows((p) => p.map((x, j) => (j === i ? { ...x, ...r } : x)));
  const start = async () => {
    if (!ok || !base) return;
    setBusy(true);
    setError(null);
    try {
      const r = await s.api.call('train.sweep', { settings: base, grid: plan.grid, ...(name.trim() ? { name: name.trim() } : {}) });
      openRuns(s, r.runIds);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sweep" data-testid="sweep">
      <p className="muted small">The settings above are the base of every run; each row varies one setting over the values given (comma separated).</p>
      {rows.map((row, i) => {
        const f = options.find((o) => o.key === row.key);
        return (
          <div key={i} className="row sweep-row" data-row={i}>
            <select
              className="input"
              aria-label={`Setting to vary ${i + 1}`}
              value={row.key}
              onChange={(e) => set(i, { key: e.target.value })}
              title={f?.description}
            >
              <option value="">Choose a setting…</option>
              {options.map((o) => (
                <option key={o.key} value={o.key} title={o.description}>
                  {o.key}
                </option>
              ))}
            </select>
            <input
              className="input sweep-values"
              aria-label={`Values of ${row.key || `setting ${i + 1}`}`}
              placeholder={f?.options ? f.options.join(', ') : 'e.g. 0.05, 0.1, 0.2'}
              value={row.values}
              aria-invalid={plan.errors.has(i)}
              onChange={(e) => set(i, { values: e.target.value })}
            />
            <span className="muted small">{plan.grid[row.key] && !plan.errors.has(i) ? `${plan.grid[row.key]!.length} values` : ''}</span>
            <button className="icon-button" onClick={() => setRows((p) => p.filter((_, j) => j !== i))} aria-label={`Remove sweep setting ${row.key || i + 1}`}>
              ×
            </button>
            {plan.errors.has(i) && <span className="field-error">{plan.errors.get(i)}</span>}
          </div>
        );
      })}
      <div className="row">
        <button className="button secondary small" onClick={() => setRows((p) => [...p, { key: '', values: '' }])}>
          Add a Setting to Vary
        </button>
        <label className="field-inline" title="Group of the sweep's runs (default: sweep, arch, dataset and time)">
          Sweep name
          <input className="input" aria-label="Sweep name" value={name} aria-invalid={nameError !== null} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <strong data-testid="sweep-count">
          {plan.runs} run{plan.runs === 1 ? '' : 's'}
        </strong>
        <button className="button" disabled={!ok || busy} onClick={() => void start()}>
          Start Sweep ({plan.runs} run{plan.runs === 1 ? '' : 's'})
        </button>
        {tooMany && <span className="field-error">At most {SWEEP_MAX_RUNS} runs in one sweep: use fewer values.</span>}
        {nameError && <span className="field-error">Sweep name: {nameError}</span>}
        {base === null && <span className="field-error">Fix the settings above first.</span>}
      </div>
      <HostErrorBox error={error} what="Sweeps" methods={['train.sweep']} />
    </div>
  );
}
