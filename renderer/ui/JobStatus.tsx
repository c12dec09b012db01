import type { Job } from '../../common/contract';
import { ACTIVE_STATES, jobFraction, jobProgressText } from '../services/jobs';
import { useServices } from '../workbench/services';
import { HostErrorBox } from './Unavailable';
import { ProgressBar } from './ProgressBar';
import { HostError } from '../api/host-error';

/** One job's state, progress bar, progress text and cancel/open buttons. */
export function JobStatus({ job, label, extra }: { job: Job; label: string; extra?: string }) {
  const s = useServices();
  const active = ACTIVE_STATES.has(job.state);
  return (
    <div className="job-status" data-testid="job-status" data-state={job.state}>
      <div className="row">
        <span className={`state state-${job.state}`}>{job.state}</span>
        <ProgressBar fraction={jobFraction(job)} indeterminate={active && jobFraction(job) === null} label={label} />
        <span className="muted" data-testid="job-progress-text">
          {[job.progress.message, jobProgressText(job), extra].filter(Boolean).join(' · ')}
        </span>
        <span className="spacer" />
        {active && (
          <button className="button secondary small" onClick={() => s.jobs.cancel(job.id).catch((e) => s.notifications.error(e))}>
            Cancel
          </button>
        )}
        <button
          className="link-button small"
          onClick={() => s.editors.open({ id: `job:${job.id}`, kind: 'job', title: `Job ${job.id}`, data: { id: job.id } })}
        >
          Job {job.id}
        </button>
      </div>
      {job.error && <HostErrorBox error={new HostError(job.error)} />}
    </div>
  );
}
