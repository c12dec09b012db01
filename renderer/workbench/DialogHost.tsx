import { useEffect, useRef, useState } from 'react';
import type { DialogRequest } from '../services/dialogs';
import { useStore } from '../state/store';
import { useServices } from './services';

export function DialogHost() {
  const s = useServices();
  const req = useStore(s.dialogs.current);
  if (!req) return null;
  return <Dialog key={req.title + req.message} req={req} onClose={(v) => s.dialogs.close(v)} />;
}

function Dialog({ req, onClose }: { req: DialogRequest; onClose: (v: string | null) => void }) {
  const [value, setValue] = useState(req.input?.value ?? '');
  const error = req.input?.validate?.(value) ?? null;
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    if (first.current instanceof HTMLInputElement) first.current.select();
  }, []);
  const submit = () => {
    if (req.input && error) return;
    onClose(req.input ? value : '');
  };
  return (
    <div className="overlay modal-overlay" onMouseDown={() => onClose(null)}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={req.title}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose(null);
          if (e.key === 'Enter') submit();
        }}
      >
        <h2 className="dialog-title">{req.title}</h2>
        <p className="dialog-message">{req.message}</p>
        {req.input && (
          <label className="field">
            <span>{req.input.label}</span>
            <input ref={first} className="input" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!error} />
            {error && <span className="field-error">{error}</span>}
          </label>
        )}
        <div className="dialog-buttons">
          <button className="button secondary" onClick={() => onClose(null)}>
            Cancel
          </button>
          <button
            ref={req.input ? undefined : first}
            className={`button${req.destructive ? ' danger' : ''}`}
            disabled={!!(req.input && error)}
            onClick={submit}
          >
            {req.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
