import { useState } from 'react';
import { QaAskInput } from '../../../common/contract';
import type { EditorProps } from '../feature';
import { NumberInput } from '../../ui/NumberInput';
import { usePersistentState } from '../../ui/persist';
import { DatasetSelect, ModelInput, UserPicker } from '../../ui/pickers';
import { useServices } from '../../workbench/services';
import { AskResult } from './AskPane';

interface Side {
  model: string;
  withRationales: boolean;
  space: string;
  nearest: number;
}

const SIDE: Side = { model: '', withRationales: true, space: '', nearest: 3 };

/** A free question about one user; in compare mode the same question under two settings, side by side. */
export function AskEditor({ input }: EditorProps) {
  const compare = (input.data as { compare?: boolean } | undefined)?.compare === true;
  const s = useServices();
  const key = compare ? 'reasoning.compare' : 'reasoning.ask';
  const [sharedModel, setSharedModel] = usePersistentState('shared.model', '');
  const [dataset, setDataset] = usePersistentState(`${key}.dataset`, '');
  const [user, setUser] = usePersistentState<number | null>(`${key}.user`, null);
  const [question, setQuestion] = usePersistentState(`${key}.question`, 'What does this user look for in a product?');
  const [a, setA] = usePersistentState<Side>(`${key}.a`, { ...SIDE, model: sharedModel });
  const [b, setB] = usePersistentState<Side>(`${key}.b`, { ...SIDE, model: sharedModel, withRationales: false });
  const [maxTokens, setMaxTokens] = usePersistentState(`${key}.maxTokens`, 200);
  const [jobs, setJobs] = usePersistentState<(number | null)[]>(`${key}.jobs`, [null, null]);
  const [errors, setErrors] = useState<(Error | null)[]>([null, null]);
  const sides = compare ? [a, b] : [a];
  const ready = dataset && user !== null && question.trim() && sides.every((x) => x.model.trim());

  const ask = async () => {
    if (!ready || user === null) return;
    setSharedModel(a.model.trim());
    const started = await Promise.all(
      sides.map(async (side, i) => {
        const req: QaAskInput = {
          dataset,
          user,
          question: question.trim(),
          model: side.model.trim(),
          withRationales: side.withRationales,
          nearest: side.nearest,
          history: 10,
          maxTokens,
          ...(side.space.trim() ? { space: side.space.trim() } : {}),
          ...(compare ? { label: i === 0 ? 'A' : 'B' } : {}),
        };
        try {
          const r = await s.api.call('qa.ask', req);
          return { job: r.jobId, error: null };
        } catch (err) {
          return { job: null, error: err as Error };
        }
      }),
    );
    setJobs(started.map((x) => x.job));
    setErrors(started.map((x) => x.error));
  };

  return (
    <div className="editor-page reasoning-ask" data-testid={compare ? 'reasoning-compare' : 'reasoning-ask'}>
      <header className="page-header">
        <h1>{compare ? 'Compare Answers' : 'Ask About a User'}</h1>
      </header>
      <section className="section">
        <div className="form-grid">
          <label className="field" title="The dataset the user belongs to">
            <span className="field-title">Dataset</span>
            <DatasetSelect
              value={dataset}
              onChange={(v) => {
                if (v !== dataset) setUser(null);
                setDataset(v);
              }}
            />
          </label>
          <label className="field" title="The user whose history (and nearest rationales) ground the answer">
            <span className="field-title">User</span>
            <UserPicker dataset={dataset} value={user} onChange={setUser} />
          </label>
        </div>
        <label className="field" title="A free question about this user's tastes">
          <span className="field-title">Question</span>
          <textarea
            className="input textarea"
            rows={2}
            aria-label="Question"
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter' && void ask()}
          />
        </label>
        <label className="field-inline" title="Most tokens of the answer">
          Max tokens
          <NumberInput schema={QaAskInput.shape.maxTokens} aria-label="Max tokens" style={{ width: 80 }} value={maxTokens} onChange={setMaxTokens} />
        </label>
        <div className={compare ? 'view-cols' : ''}>
          {sides.map((side, i) => (
            <SideForm key={i} label={compare ? (i === 0 ? 'A' : 'B') : ''} side={side} onChange={i === 0 ? setA : setB} />
          ))}
        </div>
        <div className="row">
          <button className="button" disabled={!ready} onClick={() => void ask()} title="Ask (Ctrl+Enter)">
            {compare ? 'Ask Both' : 'Ask'}
          </button>
          {!ready && <span className="muted small">Pick a dataset, a user and a model.</span>}
          {compare && (
            <span className="muted small">
              Two prompt templates on one user:{' '}
              <button className="link-button small" onClick={() => s.commands.run('models.playground')}>
                Models › Playground › Compare with
              </button>
              .
            </span>
          )}
        </div>
      </section>
      <div className={compare ? 'view-cols' : ''}>
        {sides.map((_, i) => (
          <AskResult
            key={`${i}:${jobs[i] ?? 'none'}`}
            jobId={jobs[i] ?? null}
            error={errors[i]}
            title={compare ? `${i === 0 ? 'A' : 'B'}: ${describe(sides[i]!)}` : undefined}
          />
        ))}
      </div>
    </div>
  );
}

function describe(x: Side): string {
  const name = x.model.split(/[\\/]/).pop() || '(no model)';
  return `${name}, ${x.withRationales ? `with ${x.nearest} rationales` : 'history only'}${x.space ? `, space ${x.space}` : ''}`;
}

function SideForm({ label, side, onChange }: { label: string; side: Side; onChange: (v: Side) => void }) {
  const set = (p: Partial<Side>) => onChange({ ...side, ...p });
  return (
    <fieldset className="card side-form" data-side={label || 'single'}>
      {label && <legend>Setting {label}</legend>}
      <div className="form-grid">
        <label className="field">
          <span className="field-title">Model{label && ` ${label}`}</span>
          <ModelInput value={side.model} onChange={(v) => set({ model: v })} label={label ? `Model ${label}` : 'Model'} />
        </label>
        <label className="field" title="A trained Thought Space (name or id): its nearest rationales are given as sources">
          <span className="field-title">Thought Space</span>
          <input
            className="input"
            aria-label={label ? `Space ${label}` : 'Space'}
            placeholder="(none)"
            value={side.space}
            onChange={(e) => set({ space: e.target.value })}
          />
        </label>
        <label className="field" title="How many nearest rationales of other users to give as sources">
          <span className="field-title">Nearest rationales</span>
          <NumberInput
            schema={QaAskInput.shape.nearest}
            aria-label={label ? `Nearest ${label}` : 'Nearest'}
            value={side.nearest}
            onChange={(nearest) => set({ nearest })}
          />
        </label>
        <label className="field-inline" title="Off: answer from the history alone">
          <input
            type="checkbox"
            aria-label={label ? `With rationales ${label}` : 'With rationales'}
            checked={side.withRationales}
            onChange={(e) => set({ withRationales: e.target.checked })}
          />
          With rationales
        </label>
      </div>
    </fieldset>
  );
}
