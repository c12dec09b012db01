import { useStore } from '../state/store';
import { CloseIcon, ErrorIcon, InfoIcon, WarningIcon } from '../ui/icons';
import { useServices } from './services';

/** Toasts: a host error shows its message, the file and line it concerns, and the hint on what to do. */
export function Notifications() {
  const s = useServices();
  const items = useStore(s.notifications.items);
  if (items.length === 0) return null;
  return (
    <div className="notifications" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} className={`toast toast-${n.severity}`} role={n.severity === 'error' ? 'alert' : 'status'} data-code={n.detail?.code}>
          <div className="toast-icon">{n.severity === 'error' ? <ErrorIcon /> : n.severity === 'warning' ? <WarningIcon /> : <InfoIcon />}</div>
          <div className="toast-body">
            <div className="toast-message">{n.message}</div>
            {n.detail?.file && (
              <div className="toast-location" title={n.detail.file}>
                {n.detail.file}
                {n.detail.line !== null ? `:${n.detail.line}` : ''}
              </div>
            )}
            {n.detail?.hint && <div className="toast-hint">{n.detail.hint}</div>}
            {n.detail && n.detail.code !== 'client_error' && <div className="toast-code">{n.detail.code}</div>}
            {n.actions && (
              <div className="toast-actions">
                {n.actions.map((a) => (
                  <button
                    key={a.label}
                    className="button secondary small"
                    onClick={() => {
                      s.notifications.dismiss(n.id);
                      a.run();
                    }}
                  >
                    {a.label}
                  </button>
                ))}
              </div>
            )}
          </div>
          <button className="icon-button toast-close" aria-label="Dismiss notification" onClick={() => s.notifications.dismiss(n.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
