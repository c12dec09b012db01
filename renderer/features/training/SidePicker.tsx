import type { RunSummary } from '../../../common/contract';

export type Side = 'a' | 'b';

/** What each side is called everywhere in the compare and per-user views. */
export const SIDE_LABEL: Record<Side, string> = { a: 'A · baseline', b: 'B · candidate' };
/** Palette index of each side's curves and markers (Chart's PALETTE: blue, orange). */
export const SIDE_COLOR: Record<Side, number> = { a: 0, b: 1 };

interface Props {
  side: Side;
  ids: number[];
  runs: RunSummary[];
  /** Only runs of this dataset can join (the other side's), when set. */
  dataset: string | null;
  onChange: (ids: number[]) => void;
}

/** One side of a comparison: its runs as removable chips, and a select that adds a group (all its runs) or a run. */
export function SidePicker({ side, ids, runs, dataset, onChange }: Props) {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const candidates = runs.filter((r) => !ids.includes(r.id) && (dataset === null || r.dataset === dataset));
  const groups = [...new Set(candidates.map((r) => r.group).filter((g): g is string => g !== null))];
  const add = (v: string) => {
    if (v.startsWith('g:')) onChange([...ids, ...candidates.filter((r) => r.group === v.slice(2)).map((r) => r.id)]);
    else if (v.startsWith('r:')) onChange([...ids, Number(v.slice(2))]);
  };
  const label = SIDE_LABEL[side];
  return (
    <div className={`card side-card side-${side}`} data-testid={`side-${side}`}>
      <div className="row">
        <h2>{label}</h2>
        <span className="muted small">{ids.length ? `${ids.length} run${ids.length > 1 ? 's' : ''}` : 'no runs yet'}</span>
        <span className="spacer" />
        {ids.length > 0 && (
          <button className="link-button small" onClick={() => onChange([])} aria-label={`Clear side ${label}`}>
            Clear
          </button>
        )}
      </div>
      <ul className="chips" aria-label={`Runs of side ${label}`}>
        {ids.map((id) => {
          const r = byId.get(id);
          return (
            <li key={id} className="chip" data-run={id}>
              <span title={r ? `${r.name} (#${id}): ${r.arch}, seed ${r.seed}, ${r.state}${r.group ? `, group ${r.group}` : ''}` : `run #${id}`}>
                {r?.name ?? 'run'} <span className="muted">#{id}</span>
                {r && (
                  <span className="muted">
                    {' '}
                    · {r.arch} · seed {r.seed}
                  </span>
                )}
              </span>
              <button
                className="icon-button chip-remove"
                onClick={() => onChange(ids.filter((x) => x !== id))}
                aria-label={`Remove run ${id} from side ${label}`}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <select className="input" aria-label={`Add runs to side ${label}`} value="" onChange={(e) => add(e.target.value)} disabled={!candidates.length}>
        <option value="">{candidates.length ? 'Add a group or a run…' : 'No other runs on this dataset'}</option>
        {groups.length > 0 && (
          <optgroup label="Groups (all their runs)">
            {groups.map((g) => (
              <option key={g} value={`g:${g}`}>
                {g} ({candidates.filter((r) => r.group === g).length} runs)
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Runs">
          {candidates.map((r) => (
            <option key={r.id} value={`r:${r.id}`}>
              {r.name} #{r.id} · {r.arch} · seed {r.seed} · {r.state}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}
