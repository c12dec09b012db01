import { useEffect, useRef, useState } from 'react';

/** The reject reasons, numbered: a digit picks one, arrows and Enter work too, Escape cancels. */
export function ReasonPicker({ reasons, onChoose, onCancel }: { reasons: string[]; onChoose(r: string): void; onCancel(): void }) {
  const [i, setI] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => list.current?.focus(), []);
  return (
    <div className="reason-picker" role="dialog" aria-label="Reject reason">
      <div className="strong">Why reject? Press a number.</div>
      <ul
        ref={list}
        role="listbox"
        tabIndex={0}
        aria-label="Reject reasons"
        onKeyDown={(e) => {
          e.stopPropagation();
          const n = Number(e.key);
          if (Number.isInteger(n) && n >= 1 && n <= reasons.length) onChoose(reasons[n - 1]!);
          else if (e.key === 'ArrowDown') setI((x) => Math.min(reasons.length - 1, x + 1));
          else if (e.key === 'ArrowUp') setI((x) => Math.max(0, x - 1));
          else if (e.key === 'Enter') onChoose(reasons[i]!);
          else if (e.key === 'Escape') onCancel();
          e.preventDefault();
        }}
      >
        {reasons.map((r, k) => (
          <li key={r} role="option" aria-selected={k === i} className={k === i ? 'selected' : ''} onClick={() => onChoose(r)}>
            <kbd>{k + 1}</kbd> {r}
          </li>
        ))}
      </ul>
    </div>
  );
}
