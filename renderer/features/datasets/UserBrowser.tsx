import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../../common/contract';
import { fmtInt } from '../../services/jobs';
import { useCall } from '../../ui/host';

const PAGE = 100;

/** Paged, searchable users on the left; the selected user's time-ordered history on the right. */
export function UserBrowser({ name }: { name: string }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [user, setUser] = useState<number | null>(null);
  useEffect(() => {
    // Debounce typing so every keystroke is not a host call.
    const t = setTimeout(() => {
      setQuery(search.trim());
      setOffset(0);
    }, 200);
    return () => clearTimeout(t);
  }, [search]);
  const users = useCall('datasets.users', { name, offset, limit: PAGE, ...(query ? { search: query } : {}) });
  const total = users.data?.total ?? 0;
  return (
    <div className="user-browser">
      <div className="user-list-pane">
        <input className="input" placeholder="Search users by id" aria-label="Search users" value={search} onChange={(e) => setSearch(e.target.value)} />
        <div className="pager">
          <span className="muted" data-testid="users-total">
            {users.data
              ? `${fmtInt(total === 0 ? 0 : offset + 1)}–${fmtInt(Math.min(offset + PAGE, total))} of ${fmtInt(total)}`
              : users.loading
                ? 'Loading…'
                : ''}
          </span>
          <span className="spacer" />
          <button className="button secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} title="Previous page">
            ‹ Prev
          </button>
          <button className="button secondary small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} title="Next page">
            Next ›
          </button>
        </div>
        {users.error && (
          <div className="error-box" role="alert">
            {users.error.message}
          </div>
        )}
        <ul className="list user-list" role="listbox" aria-label="Users">
          {users.data?.users.map((u) => (
            <li
              key={u.idx}
              role="option"
              aria-selected={user === u.idx}
              tabIndex={0}
              className={`list-item compact${user === u.idx ? ' selected' : ''}`}
              data-user={u.originalId}
              onClick={() => setUser(u.idx)}
              onKeyDown={(e) => e.key === 'Enter' && setUser(u.idx)}
            >
              <span className="mono ellipsis">{u.originalId}</span>
              <span className="spacer" />
              <span className="muted small">{fmtInt(u.interactions)}</span>
            </li>
          ))}
        </ul>
      </div>
      {/* Focusable so that the keyboard can scroll a long history (axe: scrollable-region-focusable). */}
      <section className="history-pane" aria-label="History" tabIndex={0}>
        {user === null ? <div className="empty-state">Select a user to see their history.</div> : <History name={name} user={user} />}
      </section>
    </div>
  );
}

function History({ name, user }: { name: string; user: number }) {
  const { data, error, loading } = useCall('datasets.history', { name, user });
  if (error)
    return (
      <div className="error-box" role="alert">
        {error.message}
      </div>
    );
  if (!data) return <div className="empty-state">{loading ? 'Loading history…' : ''}</div>;
  return (
    <div className="history" data-testid="user-history">
      <div className="history-header">
        <span className="strong mono">{data.user.originalId}</span>
        <span className="muted">
          {fmtInt(data.user.interactions)} interactions · user #{data.user.idx}
        </span>
      </div>
      <table className="grid history-table" aria-label="History">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Split</th>
            <th>Item</th>
            <th>Brand</th>
            <th>Categories</th>
            <th className="num">Rating</th>
            <th>Time</th>
            <th>Review</th>
          </tr>
        </thead>
        <tbody>
          {data.history.map((h) => (
            <HistoryRow key={h.pos} h={h} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every field is data from a file: rendered as React text children, never as markup. */
function HistoryRow({ h }: { h: HistoryEntry }) {
  return (
    <tr data-split={h.split}>
      <td className="num muted">{h.pos + 1}</td>
      <td>
        <span className={`split-badge split-${h.split}`}>{h.split}</span>
      </td>
      <td className="item-cell" title={h.item.description || h.item.title}>
        <div className="item-title">{h.item.title || <span className="muted">(no title)</span>}</div>
        <div className="muted small mono">{h.item.originalId}</div>
      </td>
      <td className="ellipsis" title={h.item.brand}>
        {h.item.brand}
      </td>
      <td className="ellipsis categories" title={h.item.categories}>
        {h.item.categories}
      </td>
      <td className="num">{h.rating ?? '—'}</td>
      <td className="nowrap muted">{h.ts !== null ? fmtTime(h.ts) : '—'}</td>
      <td className="review-cell" title={h.review ?? undefined}>
        <div className="review">{h.review ?? ''}</div>
      </td>
    </tr>
  );
}

function fmtTime(ts: number): string {
  // Datasets store seconds since the epoch; values this small cannot be milliseconds.
  const ms = ts < 1e11 ? ts * 1000 : ts;
  return new Date(ms).toISOString().slice(0, 10);
}
