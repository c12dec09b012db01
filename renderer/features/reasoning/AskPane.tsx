import type { QaAskSources } from '../../../common/contract';
import { HostError } from '../../api/host-error';
import { ACTIVE_STATES } from '../../services/jobs';
import { useJob } from '../../ui/host';
import { useJobEventLog } from '../../ui/job-events';
import { HostErrorBox } from '../../ui/Unavailable';
import { JobStatus } from '../../ui/JobStatus';

/** What one qa.ask stream has produced so far: its tokens joined, and the sources sent before the first one. */
export function useAskStream(jobId: number | null): { text: string; sources: QaAskSources | null } {
  const events = useJobEventLog(jobId);
  const job = useJob(jobId);
  let text = '';
  let sources: QaAskSources | null = null;
  for (const e of events) {
    if (e.name === 'qa.ask.token') text += String((e.data as { text?: unknown }).text ?? '');
    else if (e.name === 'qa.ask.sources') sources = e.data as QaAskSources;
  }
  // The job result is authoritative (and covers events sent before this window subscribed).
  const result = job?.state === 'succeeded' ? (job.result as { answer?: string; sources?: QaAskSources } | null) : null;
  if (result?.answer !== undefined && result.answer.length >= text.length) text = result.answer;
  if (!sources && result?.sources) sources = result.sources;
  return { text, sources };
}

/** A streamed answer with its sources beside it. */
export function AskResult({ jobId, title, error }: { jobId: number | null; title?: string; error?: Error | null }) {
  const job = useJob(jobId);
  const { text, sources } = useAskStream(jobId);
  const streaming = job !== null && ACTIVE_STATES.has(job.state);
  return (
    <div className="ask-result" data-testid="ask-result" data-state={job?.state ?? 'idle'}>
      {title && <h3>{title}</h3>}
      <HostErrorBox error={error ?? null} what="Asking about a user" methods={['qa.ask']} />
      {job && <JobStatus job={job} label="Answer progress" />}
      {job && job.error === null && job.state === 'failed' && (
        <HostErrorBox error={new HostError({ message: 'The job failed.', file: null, line: null, hint: null, code: 'failed' })} />
      )}
      <div className="view-split">
        <div>
          <div className="streamed" data-testid="ask-answer" aria-live="polite" aria-busy={streaming}>
            {text || (
              <span className="muted">{jobId === null ? 'Ask a question to see the answer here.' : streaming ? 'Waiting for the first token…' : ''}</span>
            )}
          </div>
        </div>
        <Sources sources={sources} />
      </div>
    </div>
  );
}

function Sources({ sources }: { sources: QaAskSources | null }) {
  return (
    <aside className="card" data-testid="ask-sources" aria-label="Sources">
      <h2>Sources</h2>
      {!sources && <p className="muted small">The history items and nearest rationales the answer is grounded in appear here.</p>}
      {sources && (
        <>
          <h3>History ({sources.history.length})</h3>
          <ol className="source-list" data-testid="source-history">
            {sources.history.map((h) => (
              <li key={h.pos}>
                <span className="muted small">#{h.pos + 1}</span> {h.title}
                {h.rating !== null && <span className="muted small"> · rated {h.rating}</span>}
              </li>
            ))}
          </ol>
          <h3>Nearest rationales ({sources.rationales.length})</h3>
          <ul className="source-list" data-testid="source-rationales">
            {sources.rationales.length === 0 && <li className="muted small">None (answered from the history alone).</li>}
            {sources.rationales.map((r, i) => (
              <li key={i}>
                <div className="muted small">
                  user #{r.userIdx} · score {r.score.toFixed(3)}
                </div>
                <div className="prewrap">{r.text}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
