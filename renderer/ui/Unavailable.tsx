import type { ReactNode } from 'react';
import type { ErrorPayload } from '../../common/contract';
import { toPayload } from '../api/host-error';
import { isUnavailable } from './host';

/** What a view shows where the host lacks a method: a clear state instead of an error. */
export function Unavailable({ what, methods }: { what: string; methods: string[] }) {
  return (
    <div className="unavailable" data-testid="unavailable" role="status">
      <strong>{what} is not available in this build.</strong>
      <span className="muted small">
        The host does not offer{' '}
        {methods.map((m, i) => (
          <span key={m}>
            {i > 0 ? ', ' : ''}
            <code>{m}</code>
          </span>
        ))}{' '}
        yet.
      </span>
    </div>
  );
}

/** An error from the host as text (message, location, hint); unavailable methods as the state above. */
export function HostErrorBox({ error, what, methods }: { error: Error | null; what?: string; methods?: string[] }): ReactNode {
  if (!error) return null;
  if (isUnavailable(error) && what) return <Unavailable what={what} methods={methods ?? []} />;
  return <ErrorBox error={toPayload(error)} />;
}

/** What went wrong, where (file:line) and what to do: a host error or a failed job's error. */
export function ErrorBox({ error }: { error: ErrorPayload }) {
  return (
    <div className="error-box" role="alert">
      <div>{error.message}</div>
      {error.file && (
        <div className="mono">
          {error.file}
          {error.line !== null ? `:${error.line}` : ''}
        </div>
      )}
      {error.hint && <div>{error.hint}</div>}
    </div>
  );
}
