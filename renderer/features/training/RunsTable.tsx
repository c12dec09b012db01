import { useEffect, useRef } from 'react';
import type { RunSummary } from '../../../common/contract';
import { fmtNum } from '../../ui/host';
import { useServices } from '../../workbench/services';
import { evaluateRun } from './commands';
import { fmtMean } from './compare-format';
import { deleteRun, renameRun } from './run-actions';
import { tableRows } from './run-groups';

const SHOWN = ['valid.ndcg@10', 'valid.hr@10'];

/**
 * Per run, the settings whose values are not the same for every listed run (arch, preset, seed, dataset and
 * any override); a run that keeps the preset's value of an overridden setting shows nothing for it.
 */
function differing(runs: RunSummary[]): Map<number, string> {
  const keys = new Set<string>(['arch', 'preset', 'seed', 'dataset']);
  for (const r of runs) for (const k of Object.keys(r.overrides)) keys.add(k);
  const value = (r: RunSummary, k: string): unknown => (k in r.overrides ? r.overrides[k] : (r as unknown as Record<string, unknown>)[k]);
  const diff = [...keys].filter((k) => new Set(runs.map((r) => JSON.stringify(value(r, k) ?? null))).size > 1);
  return new Map(
    runs.map((r) => [
      r.id,
      diff
        .filter((k) => value(r, k) !== undefined)
        .map((k) => `${k}=${typeof value(r, k) === 'string' ? String(value(r, k)) : JSON.stringify(value(r, k))}`)
        .join('  '),
    ]),
  );
}

interface Props {
  runs: RunSummary[];
  selected: number[];
  /** Selects (on) or deselects the given runs. */
  select: (ids: number[], on: boolean) => void;
  reload: () => void;
}

/** The runs, a group (seeds, a sweep) as one block whose header selects all its runs; row actions. */
export function RunsTable({ runs, selected, select, reload }: Props) {
  const diffs = differing(runs);
  return (
    <div className="scroll-x">
      <table className="grid compact runs-table" aria-label="Runs">
        <thead>
          <tr>
            <th title="Select: overlay the curves, compare, export">Show</th>
            <th>Run</th>
            <th>State</th>
            <th>Dataset</th>
            <th>Arch</th>
            <th className="num" title="Epochs trained (best epoch)">
              Epochs
            </th>
            {SHOWN.map((m) => (
              <th key={m} className="num" title={`Best ${m} (last)`}>
                best {m.replace('valid.', '')}
              </th>
            ))}
            <th className="num" title="Last training loss">
              last loss
            </th>
            <th className="num" title="Test NDCG@10, full ranking, on the best checkpoint">
              test ndcg@10
            </th>
            <th title="Settings that differ between the runs listed">Differs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tableRows(runs).map((row) =>
            row.kind === 'group' ? (
              <GroupRow key={`g:${row.group}`} group={row.group} runs={row.runs} selected={selected} select={select} />
            ) : (
              <RunRow key={row.run.id} r={row.run} grouped={row.grouped} selected={selected} select={select} differs={diffs.get(row.run.id)} reload={reload} />
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function GroupRow({ group, runs, selected, select }: { group: string; runs: RunSummary[]; selected: number[]; select: Props['select'] }) {
  const box = useRef<HTMLInputElement>(null);
  const n = runs.filter((r) => selected.includes(r.id)).length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = n > 0 && n < runs.length;
  }, [n, runs.length]);
  const done = runs.filter((r) => r.test.full?.['ndcg@10'] !== undefined).map((r) => r.test.full!['ndcg@10']!);
  const m = done.length ? done.reduce((a, b) => a + b, 0) / done.length : NaN;
  const sd = done.length > 1 ? Math.sqrt(done.reduce((a, b) => a + (b - m) ** 2, 0) / (done.length - 1)) : 0;
  const states = [...new Set(runs.map((r) => r.state))];
  return (
    <tr className="group-row" data-group={group}>
      <td>
        <input
          ref={box}
          type="checkbox"
          aria-label={`Select all runs of group ${group}`}
          checked={n === runs.length}
          onChange={() =>
            select(
              runs.map((r) => r.id),
              n < runs.length,
            )
          }
        />
      </td>
      <td colSpan={8} title={`Group ${group}: runs started together (seeds or a sweep)`}>
        <span className="strong">{group}</span>{' '}
        <span className="muted small">
          · {runs.length} runs · {states.length === 1 ? `all ${states[0]}` : states.join(', ')}
        </span>
      </td>
      <td className="num" title={`Mean ± std of test NDCG@10 (full) over the ${done.length} finished runs`}>
        {done.length ? fmtMean(m, sd, done.length) : '—'}
      </td>
      <td colSpan={2} />
    </tr>
  );
}

interface RowProps {
  r: RunSummary;
  grouped: boolean;
  selected: number[];
  select: Props['select'];
  differs: string | undefined;
  reload: () => void;
}

function RunRow({ r, grouped, selected, select, differs, reload }: RowProps) {
  const s = useServices();
  const on = selected.includes(r.id);
  const act = (p: Promise<unknown>) => void p.then(reload, (e) => s.notifications.error(e));
  return (
    <tr data-run={r.id} data-state={r.state} className={[on ? 'selected' : '', grouped ? 'in-group' : ''].join(' ')}>
      <td>
        <input type="checkbox" aria-label={`Show ${r.name}`} checked={on} onChange={() => select([r.id], !on)} />
      </td>
      <td className="ellipsis run-name" title={`${r.name} (#${r.id})${r.group ? `, group ${r.group}` : ''}`}>
        {r.name} <span className="muted small">#{r.id}</span>
        {r.archived && <span className="muted small"> · archived</span>}
      </td>
      <td>
        <span className={`state state-${r.state}`}>{r.state}</span>
      </td>
      <td>{r.dataset}</td>
      <td>{r.arch}</td>
      <td className="num">
        {r.epochs}
        {r.bestEpoch !== null && <span className="muted"> ({r.bestEpoch})</span>}
      </td>
      {SHOWN.map((m) => (
        <td key={m} className="num" title={`last ${fmtNum(r.last[m])}`}>
          {fmtNum(r.best[m])}
        </td>
      ))}
      <td className="num">{fmtNum(r.last['train.loss'])}</td>
      <td className="num">{fmtNum(r.test.full?.['ndcg@10'])}</td>
      <td className="wrap mono small differs">{differs}</td>
      <td className="row-actions">
        <button className="link-button small" disabled={r.state !== 'succeeded'} onClick={() => act(evaluateRun(s, r.id))} aria-label={`Evaluate ${r.name}`}>
          Evaluate
        </button>{' '}
        <button className="link-button small" onClick={() => act(renameRun(s, r))} aria-label={`Rename ${r.name}`}>
          Rename
        </button>{' '}
        <button
          className="link-button small"
          onClick={() => act(s.api.call('runs.archive', { id: r.id, archived: !r.archived }))}
          aria-label={`${r.archived ? 'Unarchive' : 'Archive'} ${r.name}`}
        >
          {r.archived ? 'Unarchive' : 'Archive'}
        </button>{' '}
        <button
          className="link-button small"
          disabled={r.state === 'running' || r.state === 'queued'}
          onClick={() => act(deleteRun(s, r))}
          aria-label={`Delete ${r.name}`}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
