import type { RunSummary, SetComparison } from '../../../common/contract';
import { fmtGain, fmtMean, fmtP, gainTone } from './compare-format';
import { SIDE_LABEL } from './SidePicker';

type TTest = SetComparison['overSeeds'];

function testNote(t: TTest, what: string): string {
  return t
    ? `paired t-test over ${t.n} ${what}: t = ${t.t.toFixed(2)}, df = ${t.df}, mean difference ${t.meanDiff.toFixed(4)}`
    : `no test (fewer than 2 ${what})`;
}

interface RowProps {
  kind: string;
  label: string;
  title?: string;
  users: number | null;
  a: string;
  b: string;
  gain: number | null;
  test: TTest;
  what: string;
  /** Why there is no test, when there is none. */
  untested: string;
}

function Row(p: RowProps) {
  const tone = gainTone(p.gain, p.test?.p);
  return (
    <tr data-row={p.kind}>
      <th scope="row" title={p.title}>
        {p.label}
      </th>
      <td className="num">{p.users ?? ''}</td>
      <td className="num" data-cell="a">
        {p.a}
      </td>
      <td className="num" data-cell="b">
        {p.b}
      </td>
      <td className={`num gain gain-${tone}`} data-cell="gain" title={tone === 'same' ? 'Not significant at p < 0.05' : `Significant at p < 0.05 (${tone})`}>
        {fmtGain(p.gain)}
      </td>
      <td className="num" data-cell="p" title={testNote(p.test, p.what)}>
        {fmtP(p.test?.p)}
      </td>
      <td className="muted small">{p.test ? `n = ${p.test.n} ${p.what}` : p.untested}</td>
    </tr>
  );
}

/** B against A on one test metric: over runs (seeds), over users, and per segment; then each run's value. */
export function ComparisonTable({ cmp, runs }: { cmp: SetComparison; runs: RunSummary[] }) {
  const name = (id: number) => runs.find((r) => r.id === id)?.name ?? `run ${id}`;
  const m = `${cmp.metric} (${cmp.protocol})`;
  const pairs = Math.max(cmp.a.runs.length, cmp.b.runs.length);
  // Runs pair up (by seed, else by order) only when both sides have as many.
  const equal = cmp.a.runs.length === cmp.b.runs.length;
  return (
    <div className="compare-results" data-testid="compare-table">
      <table className="grid compact compare-grid" aria-label={`Test ${m}, B against A`}>
        <thead>
          <tr>
            <th>Test {m}</th>
            <th className="num">Users</th>
            <th className="num side-a-text">{SIDE_LABEL.a}</th>
            <th className="num side-b-text">{SIDE_LABEL.b}</th>
            <th className="num" title="Relative gain of B over A: (B − A) / A">
              Gain
            </th>
            <th className="num" title="Two-sided paired t-test">
              p
            </th>
            <th>Test</th>
          </tr>
        </thead>
        <tbody>
          <Row
            kind="seeds"
            label={`Runs (mean ± std over ${cmp.a.runs.length} vs ${cmp.b.runs.length})`}
            title={cmp.pairedBySeed ? 'Runs paired by seed' : 'Runs paired in the order listed (the seeds differ)'}
            users={cmp.perUser.users}
            a={fmtMean(cmp.a.mean, cmp.a.std, cmp.a.values.length)}
            b={fmtMean(cmp.b.mean, cmp.b.std, cmp.b.values.length)}
            gain={cmp.gain}
            test={cmp.overSeeds}
            what={cmp.pairedBySeed ? 'seeds' : 'run pairs'}
            untested={equal ? 'needs 2+ runs a side' : 'needs as many runs on each side'}
          />
          <Row
            kind="users"
            label="All test users"
            title="Each user's value averaged over the runs of a side, then paired by user"
            users={cmp.perUser.users}
            a={cmp.perUser.a.toFixed(4)}
            b={cmp.perUser.b.toFixed(4)}
            gain={cmp.perUser.gain}
            test={cmp.perUser.test}
            what="users"
            untested="needs 2+ users"
          />
          {cmp.segments.map((sg) => (
            <Row
              key={sg.name}
              kind="segment"
              label={sg.name}
              users={sg.users}
              a={sg.users ? sg.a.toFixed(4) : '—'}
              b={sg.users ? sg.b.toFixed(4) : '—'}
              gain={sg.gain}
              test={sg.test}
              what="users"
              untested="needs 2+ users"
            />
          ))}
        </tbody>
      </table>
      <h3>{cmp.pairedBySeed ? 'Seeds' : 'Runs'}</h3>
      <table className="grid compact seeds-grid" aria-label="Test value of each run" data-testid="seeds-table">
        <thead>
          <tr>
            <th className="side-a-text">{SIDE_LABEL.a}</th>
            <th className="num">{cmp.metric}</th>
            <th className="side-b-text">{SIDE_LABEL.b}</th>
            <th className="num">{cmp.metric}</th>
            <th className="num" title={equal ? 'Difference of each pair of runs' : 'Runs pair up only when both sides have as many'}>
              B − A
            </th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: pairs }, (_, i) => {
            const a = cmp.a.runs[i];
            // Over seeds, B's run of the same seed stands next to A's.
            const j = cmp.pairedBySeed && a !== undefined ? cmp.b.seeds.indexOf(cmp.a.seeds[i]!) : i;
            const b = cmp.b.runs[j];
            const va = cmp.a.values[i];
            const vb = cmp.b.values[j];
            return (
              <tr key={i}>
                <td>{a !== undefined ? `${name(a)} #${a} · seed ${cmp.a.seeds[i]}` : ''}</td>
                <td className="num">{va !== undefined ? va.toFixed(4) : ''}</td>
                <td>{b !== undefined ? `${name(b)} #${b} · seed ${cmp.b.seeds[j]}` : ''}</td>
                <td className="num">{vb !== undefined ? vb.toFixed(4) : ''}</td>
                <td className="num">{equal && va !== undefined && vb !== undefined ? (vb - va).toFixed(4) : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
