import { useRef, useState } from 'react';
import { useServices } from '../../workbench/services';

const SHOWN = 8;

interface Found {
  idx: number;
  originalId: string;
  ranks: [number, number];
}

/** "Where do the two runs differ most?": every evaluated user, by how far apart the test item's ranks are. */
export function RankScan({ runs, onPick }: { runs: [number, number]; dataset: string; onPick: (user: number) => void }) {
  const s = useServices();
  const [found, setFound] = useState<Found[] | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gen = useRef(0);
  const scan = async () => {
    const my = ++gen.current;
    setError(null);
    setFound(null);
    setProgress('…');
    try {
      const { users } = await s.api.call('runs.rankDiff', { a: runs[0], b: runs[1], limit: SHOWN });
      if (gen.current !== my) return;
      setFound(users.map((u) => ({ idx: u.idx, originalId: u.originalId, ranks: [u.rankA + 1, u.rankB + 1] })));
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
        title="List the users whose test item the two runs rank most differently"
      >
        {progress ? 'Finding…' : 'Find Users Where They Differ'}
      </button>
      {error && <span className="error-text small">{error}</span>}
      {found && found.length === 0 && <span className="muted small">No user has a test result in both runs.</span>}
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
