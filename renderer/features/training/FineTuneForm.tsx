import { useState } from 'react';
import { TrainSettings } from '../../../common/contract';
import { useCall } from '../../ui/host';
import { HostErrorBox } from '../../ui/Unavailable';
import { useServices } from '../../workbench/services';

/** Epochs a fine-tune trains unless changed: enough to move a user's list after a rationale edit, quick to wait for. */
const FINE_TUNE_EPOCHS = 3;

interface Props {
  source: number;
  onStarted: (runId: number, jobId: number) => void;
  onClose: () => void;
}

/**
 * A run with the source run's settings that starts from its best weights (`initFrom`): a few epochs, the
 * rationales as they are now (after an edit in the review editor). Epochs, learning rate and name can change.
 */
export function FineTuneForm({ source, onStarted, onClose }: Props) {
  const s = useServices();
  const detail = useCall('runs.get', { id: source });
  const [epochs, setEpochs] = useState(String(FINE_TUNE_EPOCHS));
  const [lr, setLr] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const d = detail.data;
  const settings = d && {
    ...d.settings,
    initFrom: source,
    epochs: Number(epochs),
    name: name.trim() || `${d.name} fine-tune`,
    ...(lr.trim() ? { lr: Number(lr) } : {}),
  };
  const parsed = settings ? TrainSettings.safeParse(settings) : null;
  const issues = parsed && !parsed.success ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(' · ') : '';
  const start = async () => {
    if (!parsed?.success) return;
    setBusy(true);
    setError(null);
    try {
      const r = await s.api.call('train.start', parsed.data);
      onStarted(r.runId, r.jobId);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card fine-tune" data-testid="fine-tune" aria-label={`Fine-tune from run ${source}`}>
      <h2>
        Fine-tune from {d?.name ?? 'run'} <span className="muted">#{source}</span>
      </h2>
      <p className="muted small">
        Same settings, starting from this run&apos;s best weights, with the rationales as they are now. When it finishes, its list for this user appears next to
        this run&apos;s.
      </p>
      <HostErrorBox error={detail.error} what="Runs" methods={['runs.get']} />
      <div className="row">
        <label className="field-inline" title="Epochs to train from the source weights">
          Epochs
          <input
            className="input narrow"
            type="number"
            min={1}
            step={1}
            aria-label="Fine-tune epochs"
            value={epochs}
            onChange={(e) => setEpochs(e.target.value)}
          />
        </label>
        <label className="field-inline" title="Adam learning rate (empty: the source run's)">
          Learning rate
          <input
            className="input narrow"
            type="number"
            step="any"
            aria-label="Fine-tune learning rate"
            placeholder={d ? String(d.settings.lr ?? '') : ''}
            value={lr}
            onChange={(e) => setLr(e.target.value)}
          />
        </label>
        <label className="field-inline" title="Name of the new run">
          Name
          <input
            className="input"
            aria-label="Fine-tune run name"
            placeholder={d ? `${d.name} fine-tune` : ''}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button className="button small" disabled={!parsed?.success || busy} onClick={() => void start()}>
          Start Fine-Tune
        </button>
        <button className="button secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      {issues && <div className="field-error">{issues}</div>}
      <HostErrorBox error={error} what="Training" methods={['train.start']} />
    </section>
  );
}
