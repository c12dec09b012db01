import { useEffect, useState } from 'react';
import { QaRunInput } from '../../../common/contract';
import { ACTIVE_STATES } from '../../services/jobs';
import { useStore } from '../../state/store';
import { fmtNum, useCall, useJobsFinished } from '../../ui/host';
import { JobStatus } from '../../ui/JobStatus';
import { NumberInput } from '../../ui/NumberInput';
import { usePersistentState } from '../../ui/persist';
import { ModelInput } from '../../ui/pickers';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';

type Filter = 'all' | 'correct' | 'wrong' | 'partial';

/** HotpotQA-form questions: load a file (or the demo), run with and without reasoning, compare EM/F1, read answers. */
export function QaEditor() {
  const s = useServices();
  const [file, setFile] = usePersistentState('reasoning.qa.file', '');
  const [demo, setDemo] = usePersistentState('reasoning.qa.demo', true);
  const [model, setModel] = usePersistentState('shared.model', '');
  const [limit, setLimit] = usePersistentState('reasoning.qa.limit', 20);
  const [loadKey, setLoadKey] = usePersistentState<{ file?: string; demo: boolean } | null>('reasoning.qa.loaded', null);
  const [started, setStarted] = usePersistentState<number[]>('reasoning.qa.jobs', []);
  const [error, setError] = useState<Error | null>(null);
  const finished = useJobsFinished(['qa.run']);
  const loaded = useCall('qa.load', loadKey ? { ...loadKey, limit: 10 } : null);
  const runs = useCall('qa.runs', {}, finished + started.length);
  const [selected, setSelected] = usePersistentState<number | null>('reasoning.qa.selected', null);
  const jobs = useStore(s.jobs.jobs);

  const run = async () => {
    setError(null);
    try {
      const src = demo ? { demo: true } : { file: file.trim() };
      const ids: number[] = [];
      for (const reasoning of [false, true]) {
        const r = await s.api.call('qa.run', { ...src, model: model.trim(), reasoning, limit, label: reasoning ? 'with reasoning' : 'without reasoning' });
        ids.push(r.jobId);
      }
      setStarted(ids);
    } catch (err) {
      setError(err as Error);
    }
  };

  const shownRuns = runs.data?.runs ?? [];
  useEffect(() => {
    if (selected === null && shownRuns[0]) setSelected(shownRuns[0].id);
  }, [selected, shownRuns, setSelected]);

  return (
    <div className="editor-page reasoning-qa" data-testid="reasoning-qa">
      <header className="page-header">
        <h1>Question Answering</h1>
      </header>
      <section className="section">
        <h2>1. Questions</h2>
        <div className="row">
          <label className="field-inline" title="The demo QA file the workbench writes itself (small, offline)">
            <input type="radio" name="qa-source" checked={demo} onChange={() => setDemo(true)} /> Demo QA file
          </label>
          <label className="field-inline" title="A HotpotQA dataset-form JSON file on the host">
            <input type="radio" name="qa-source" checked={!demo} onChange={() => setDemo(false)} /> File
          </label>
          {!demo && (
            <input
              className="input mono"
              style={{ minWidth: 360 }}
              aria-label="QA file"
              placeholder="/path/to/hotpot_dev_distractor_v1.json"
              value={file}
              onChange={(e) => setFile(e.target.value)}
            />
          )}
          <button
            className="button secondary"
            disabled={!demo && !file.trim()}
            onClick={() => setLoadKey(demo ? { demo: true } : { file: file.trim(), demo: false })}
          >
            Load
          </button>
        </div>
        <HostErrorBox error={loaded.error} what="Loading QA files" methods={['qa.load']} />
        {loaded.data && (
          <div data-testid="qa-loaded">
            <p className="muted">
              <span className="mono">{loaded.data.file}</span>: {loaded.data.total} questions. First ones:
            </p>
            <table className="grid compact" aria-label="Questions">
              <thead>
                <tr>
                  <th>Question</th>
                  <th>Answer</th>
                  <th>Type</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.questions.map((q) => (
                  <tr key={q._id}>
                    <td className="wrap">{q.question}</td>
                    <td>{q.answer}</td>
                    <td className="muted">{q.type ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="section">
        <h2>2. Run with and without reasoning</h2>
        <div className="form-grid">
          <label className="field">
            <span className="field-title">Model</span>
            <ModelInput value={model} onChange={setModel} />
          </label>
          <label className="field" title="Only the first N questions are asked (the score still averages over all gold questions)">
            <span className="field-title">Questions to ask</span>
            <NumberInput schema={QaRunInput.shape.limit} aria-label="Questions to ask" value={limit} onChange={setLimit} />
          </label>
        </div>
        <div className="row">
          <button className="button" disabled={!model.trim() || (!demo && !file.trim())} onClick={() => void run()}>
            Run Both
          </button>
        </div>
        <HostErrorBox error={error} what="QA runs" methods={['qa.run']} />
        {started.map((id) => {
          const j = jobs.get(id);
          return j ? <JobStatus key={id} job={j} label={`QA job ${id}`} /> : null;
        })}
      </section>
      <section className="section">
        <h2>3. Runs</h2>
        <HostErrorBox error={runs.error} what="QA runs" methods={['qa.runs']} />
        {shownRuns.length === 0 && runs.data && <p className="muted">No QA runs yet.</p>}
        {shownRuns.length > 0 && (
          <table className="grid compact" aria-label="QA runs" data-testid="qa-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Model</th>
                <th>Reasoning</th>
                <th className="num">Answered</th>
                <th className="num">EM</th>
                <th className="num">F1</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {shownRuns.map((r) => (
                <tr
                  key={r.id}
                  className={selected === r.id ? 'selected' : ''}
                  aria-selected={selected === r.id}
                  onClick={() => setSelected(r.id)}
                  style={{ cursor: 'pointer' }}
                >
                  <td>#{r.id}</td>
                  <td className="mono ellipsis" title={r.model}>
                    {r.model.split(/[\\/]/).pop()}
                  </td>
                  <td>{r.reasoning ? 'with' : 'without'}</td>
                  <td className="num">
                    {r.answered}/{r.questions}
                  </td>
                  <td className="num">{fmtNum(r.exactMatch, 3)}</td>
                  <td className="num">{fmtNum(r.f1, 3)}</td>
                  <td>
                    <span className={`state state-${r.state}`}>{r.state}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected !== null && (
        <Results runId={selected} refresh={finished + (started.some((id) => ACTIVE_STATES.has(jobs.get(id)?.state ?? 'succeeded')) ? 1 : 0)} />
      )}
    </div>
  );
}

function Results({ runId, refresh }: { runId: number; refresh: number }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 200);
    return () => clearTimeout(t);
  }, [search]);
  const res = useCall('qa.results', { runId, filter, limit: 200, ...(q ? { search: q } : {}) }, refresh);
  return (
    <section className="section" data-testid="qa-results">
      <h2>Run #{runId}: per-question results</h2>
      <div className="controls">
        <div className="segmented" role="tablist" aria-label="Filter results">
          {(['all', 'correct', 'partial', 'wrong'] as const).map((f) => (
            <button key={f} role="tab" aria-selected={filter === f} className={filter === f ? 'active' : ''} onClick={() => setFilter(f)}>
              {f}
            </button>
          ))}
        </div>
        <input
          className="input"
          placeholder="Search question, answer, reasoning"
          aria-label="Search results"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {res.data && (
          <span className="muted">
            {res.data.total} shown of {res.data.run.answered}
          </span>
        )}
      </div>
      <HostErrorBox error={res.error} what="QA results" methods={['qa.results']} />
      {res.data && (
        <table className="grid compact" aria-label="Results">
          <thead>
            <tr>
              <th>Question</th>
              <th>Gold</th>
              <th>Prediction and reasoning</th>
              <th className="num">EM</th>
              <th className="num">F1</th>
              <th className="num">Tokens</th>
            </tr>
          </thead>
          <tbody>
            {res.data.results.map((r) => (
              <tr key={r.idx}>
                <td className="wrap">{r.question}</td>
                <td>{r.gold}</td>
                <td className="wrap">
                  <div className={r.em === 1 ? 'em-1' : 'em-0'}>{r.prediction || <span className="muted">(no answer)</span>}</div>
                  {r.reasoning && <div className="qa-row-reasoning">{r.reasoning}</div>}
                </td>
                <td className="num">{r.em}</td>
                <td className="num">{r.f1.toFixed(2)}</td>
                <td className="num muted">
                  {r.promptTokens}+{r.completionTokens}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
