import { lazy } from 'react';
import type { EditorProps } from '../features/feature';
import { jobFraction, jobProgressText } from '../services/jobs';
import { useStore } from '../state/store';
import { ProgressBar } from '../ui/ProgressBar';
import { ErrorBox } from '../ui/Unavailable';
import { useServices } from './services';

// Monaco is large: loaded only when a JSON view is first opened.
const JsonView = lazy(() => import('../ui/JsonView'));

/** A job's parameters, progress, result and error; the JSON in a read-only monaco editor. */
export function JobEditor({ input }: EditorProps) {
  const s = useServices();
  const jobs = useStore(s.jobs.jobs);
  const id = (input.data as { id: number }).id;
  const job = jobs.get(id);
  if (!job) return <div className="empty-state">Job {id} is not known to this workspace.</div>;
  return (
    <div className="editor-page job-editor">
      <header className="page-header">
        <h1>
          Job {job.id}: {job.title}
        </h1>
        <span className={`state state-${job.state}`}>{job.state}</span>
      </header>
      <div className="job-summary">
        <ProgressBar fraction={jobFraction(job)} label="Progress" />
        <span className="muted">{[job.progress.message, jobProgressText(job)].filter(Boolean).join(' · ')}</span>
      </div>
      {job.error && <ErrorBox error={job.error} />}
      <div className="json-host">
        <JsonView value={JSON.stringify(job, null, 2)} />
      </div>
    </div>
  );
}
