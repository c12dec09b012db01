import { useRef, useState } from 'react';
import { useServices } from '../../workbench/services';

/** Users scanned per click: each costs one scoring pass per run on the host. */
const SCAN_USERS = 40;
const SHOWN = 8;

interface Found {
  idx: number;
  originalId: string;
  ranks: [number, number];
}

/**
 * "Where do the two runs differ most?": a sample of users (a random page of the dataset's users), each
 * scored by both runs (`runs.userView` with k = 1), sorted by how far apart the test item's ranks are.
 */
export function RankScan({ runs, dataset, onPick }: { runs: [number, number]; dataset: string; onPick: (user: number) => void }) {
  const s = useServices();
  const [found, setFound] = useState<Found[] | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);
  const scan = async () => {
    const my = ++gen.current;
    setError(null);
    setFound(null);
    try {
      const { total } = await s.api.call('datasets.users', { name: dataset, limit: 1 });
      const offset = Math.floor(Math.random() * Math.max(0, total - SCAN_USERS));
      const { users } = await s.api.call('datasets.users', { name: dataset, offset, limit: SCAN_USERS });
      const out: Found[] = [];
      for (const [i, u] of users.entries()) {
        if (gen.current !== my) return;
        setProgress(`${i + 1} of ${users.length} users`);
        // Users without a test item or history have nothing to compare: skipped.
        const v = await s.api.call('runs.userView', { runs, user: u.idx, k: 1 }).catch(() => null);
        const r = v?.runs.map((x) => x.testRank);
        if (r && r[0]! >= 0 && r[1]! >= 0) out.push({ idx: u.idx, originalId: u.originalId, ranks: [r[0]! + 1, r[1]! + 1] });
      }
      out.sort((x, y) => Math.abs(y.ranks[0] - y.ranks[1]) - Math.abs(x.ranks[0] - x.ranks[1]) || x.idx - y.idx);
      setFound(out.slice(0, SHOWN));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      if (gen.current === my) setProgress(null);
    }
  };
  return (
    <div className="rank-scan" data-testid="rank-scan">
      <button
        className="button secondary small"
        disabled={progress !== null}
        onClick={() => void scan()}
        title={`Score ${SCAN_USERS} users with both runs and list those whose test item ranks most differently`}
      >
        {progress ? `Scanning ${progress}…` : 'Find Users Where They Differ'}
      </button>
      {error && <span className="error-text small">{error}</span>}
      {found && found.length === 0 && <span className="muted small">No scanned user has a test item.</span>}
      {found && found.length > 0 && (
        <ul className="chips" aria-label="Users where the runs differ most">
          {found.map((f) => (
            <li key={f.idx} className="chip">
              <button className="link-button" onClick={() => onPick(f.idx)} title={`Test item at rank ${f.ranks[0]} (A) and ${f.ranks[1]} (B)`}>
                {f.originalId}{' '}
                <span className="muted mono">
                  {f.ranks[0]} → {f.ranks[1]}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
