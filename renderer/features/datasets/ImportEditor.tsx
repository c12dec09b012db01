import { useEffect, useRef, useState } from 'react';
import { DatasetFormat, ImportOptions, Name, type DetectResult } from '../../../common/contract';
import { ACTIVE_STATES, jobFraction, jobProgressText } from '../../services/jobs';
import { useStore } from '../../state/store';
import { fmtBytes } from '../../ui/host';
import { FileIcon } from '../../ui/icons';
import { NumberInput } from '../../ui/NumberInput';
import { ProgressBar } from '../../ui/ProgressBar';
import { ErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';
import { openDataset } from './commands';

type Format = DatasetFormat;
const FORMATS = DatasetFormat.options;
const FORMAT_LABELS: Record<Format, string> = {
  auto: 'Detect automatically',
  s3rec: 'S3-Rec (user item item …)',
  lcrec: 'LC-Rec',
  recbole: 'RecBole atomic files',
  amazon: 'Amazon reviews (JSON lines)',
  movielens: 'MovieLens',
  csv: 'CSV / TSV',
};

/** Upload → detect (format, files, preview) → name and options → import job, followed live. */
export function ImportEditor() {
  const s = useServices();
  const jobs = useStore(s.jobs.jobs);
  const fileInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [paths, setPaths] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [detected, setDetected] = useState<DetectResult | null>(null);
  const [format, setFormat] = useState<Format>('auto');
  const [name, setName] = useState('');
  const [kcore, setKcore] = useState(0);
  const [minHistory, setMinHistory] = useState(0);
  const [jobId, setJobId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = jobId !== null ? jobs.get(jobId) : undefined;
  const opened = useRef(false);

  useEffect(() => {
    if (job?.state === 'succeeded' && !opened.current) {
      opened.current = true;
      s.datasets
        .refresh()
        .catch(() => undefined)
        .finally(() => openDataset(s, name.trim()));
    }
  }, [job?.state, s, name]);

  const detect = async (p: string[], f: Format) => {
    setBusy('Detecting format…');
    setError(null);
    try {
      const r = await s.api.call('datasets.detect', { paths: p, format: f });
      setDetected(r);
    } catch (err) {
      setDetected(null);
      setError((err as Error).message);
      s.notifications.error(err);
    } finally {
      setBusy(null);
    }
  };

  const choose = async (list: FileList | null) => {
    const chosen = [...(list ?? [])];
    if (chosen.length === 0) return;
    setFiles(chosen);
    setDetected(null);
    setPaths(null);
    setJobId(null);
    opened.current = false;
    if (!name) setName(defaultName(chosen));
    setError(null);
    try {
      const uploaded: string[] = [];
      for (const [i, f] of chosen.entries()) {
        setBusy(`Uploading ${f.name} (${i + 1}/${chosen.length})…`);
        uploaded.push(await s.api.upload(f));
      }
      setPaths(uploaded);
      await detect(uploaded, format);
    } catch (err) {
      setBusy(null);
      setError((err as Error).message);
      s.notifications.error(err);
    }
  };

  const nameCheck = Name.safeParse(name);
  const nameError =
    name === ''
      ? null
      : nameCheck.success
        ? (s.datasets.list.get() ?? []).some((d) => d.name === nameCheck.data)
          ? 'A dataset with this name exists.'
          : null
        : (nameCheck.error.issues[0]?.message ?? 'Invalid name');
  const canImport = !!paths && !!detected && nameCheck.success && !nameError && !busy && !(job && ACTIVE_STATES.has(job.state));

  const start = async () => {
    if (!paths || !nameCheck.success) return;
    setError(null);
    try {
      const { jobId: id } = await s.api.call('datasets.import', { paths, name: nameCheck.data, format, kcore, minHistory });
      opened.current = false;
      setJobId(id);
      // The job may have been announced before we knew its id; make sure we have it.
      s.jobs.refresh().catch(() => undefined);
    } catch (err) {
      setError((err as Error).message);
      s.notifications.error(err);
    }
  };

  return (
    <div className="editor-page import-editor">
      <header className="page-header">
        <h1>Import Dataset</h1>
      </header>
      <section className="section">
        <h2>1. Files</h2>
        <p className="muted">
          Choose the dataset's files (interactions, and item metadata if it has some). They are copied into the workspace's uploads folder.
        </p>
        <div className="row">
          <button className="button" onClick={() => fileInput.current?.click()} disabled={!!busy}>
            Choose Files…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label="Dataset files"
            data-testid="import-files"
            onChange={(e) => void choose(e.target.files)}
          />
          {files.length > 0 && <span className="muted">{files.map((f) => f.name).join(', ')}</span>}
        </div>
        {busy && (
          <div className="row busy" role="status">
            <span className="spinner" aria-hidden /> {busy}
          </div>
        )}
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
      </section>

      {detected && (
        <section className="section" data-testid="detect-result">
          <h2>2. Detected</h2>
          <div className="kv">
            <span>Format</span>
            <span className="strong" data-testid="detected-format">
              {FORMAT_LABELS[detected.format]}
            </span>
          </div>
          <table className="grid compact">
            <thead>
              <tr>
                <th>File</th>
                <th>Role</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {detected.files.map((f) => (
                <tr key={f.path}>
                  <td className="mono ellipsis" title={f.path}>
                    <FileIcon /> {f.path.split(/[\\/]/).pop()}
                  </td>
                  <td>{f.role}</td>
                  <td className="num">{fmtBytes(f.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {detected.notes.length > 0 && (
            <ul className="notes">
              {detected.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
        </section>
      )}

      {paths && (
        <section className="section">
          <h2>3. Name and options</h2>
          <div className="form-grid">
            <label className="field">
              <span className="field-title">Name</span>
              <input className="input" aria-label="Dataset name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!nameError} />
              {nameError && <span className="field-error">{nameError}</span>}
            </label>
            <label className="field">
              <span className="field-title">Format</span>
              <select
                className="input"
                aria-label="Format"
                value={format}
                onChange={(e) => {
                  const f = e.target.value as Format;
                  setFormat(f);
                  void detect(paths, f);
                }}
              >
                {FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-title">k-core</span>
              <NumberInput schema={ImportOptions.shape.kcore} aria-label="k-core" value={kcore} onChange={setKcore} />
              <span className="field-description">Keep users and items with at least k interactions (0: keep all).</span>
            </label>
            <label className="field">
              <span className="field-title">Minimum history</span>
              <NumberInput schema={ImportOptions.shape.minHistory} aria-label="Minimum history" value={minHistory} onChange={setMinHistory} />
              <span className="field-description">Drop users with fewer interactions.</span>
            </label>
          </div>
          <div className="row">
            <button className="button" disabled={!canImport} onClick={() => void start()}>
              Import
            </button>
          </div>
        </section>
      )}

      {detected && (
        <section className="section">
          <h2>Preview</h2>
          <p className="muted">The first rows as the importer reads them: check that users and items land in the right columns.</p>
          <table className="grid compact preview-table" aria-label="Preview">
            <thead>
              <tr>
                <th>User</th>
                <th>Item</th>
                <th>Rating</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {detected.preview.map((r, i) => (
                <tr key={i}>
                  <td className="mono">{r.user}</td>
                  <td className="mono">{r.item}</td>
                  <td className="mono">{r.rating ?? '—'}</td>
                  <td className="mono">{r.time ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {job && (
        <section className="section" data-testid="import-job">
          <h2>Import job {job.id}</h2>
          <div className="row">
            <span className={`state state-${job.state}`}>{job.state}</span>
            <ProgressBar fraction={jobFraction(job)} indeterminate={ACTIVE_STATES.has(job.state) && jobFraction(job) === null} label="Import progress" />
            <span className="muted">{[job.progress.message, jobProgressText(job)].filter(Boolean).join(' · ')}</span>
            {ACTIVE_STATES.has(job.state) && (
              <button className="button secondary small" onClick={() => s.jobs.cancel(job.id).catch((e) => s.notifications.error(e))}>
                Cancel
              </button>
            )}
            {job.state === 'succeeded' && (
              <button className="button small" onClick={() => openDataset(s, name.trim())}>
                Open {name.trim()}
              </button>
            )}
          </div>
          {job.error && <ErrorBox error={job.error} />}
        </section>
      )}
    </div>
  );
}

function defaultName(files: File[]): string {
  const stem = (files[0]?.name ?? 'dataset').replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}_.\- ]+/gu, '_');
  return stem.slice(0, 100) || 'dataset';
}
