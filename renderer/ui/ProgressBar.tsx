/** A thin determinate or indeterminate bar; `fraction` null with `indeterminate` false draws an empty track. */
export function ProgressBar({ fraction, indeterminate = false, label }: { fraction: number | null; indeterminate?: boolean; label: string }) {
  const pct = fraction === null ? 0 : Math.round(fraction * 1000) / 10;
  return (
    <div
      className={`progress${indeterminate ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={indeterminate ? undefined : pct}
    >
      <div className="progress-fill" style={indeterminate ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
