import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BulkFilter, BulkRow, QualityFlag, ReviewStatus } from '../../../common/contract';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';
import type { EditorProps } from '../feature';
import { openReview } from './commands';
import { reviewController } from './review-controller';

const ROW_H = 28;
const PAGE = 200;
const STATUSES: ReviewStatus[] = ['pending', 'accepted', 'edited', 'rejected', 'flagged'];
const FLAGS: QualityFlag[] = ['invalid', 'too_short', 'too_long', 'leakage', 'unknown_item', 'near_duplicate'];
type SortKey = 'id' | 'user' | 'status' | 'length' | 'agent' | 'model' | 'flags' | 'updated';
const COLUMNS: Array<{ key: SortKey | null; label: string; cls: string }> = [
  { key: 'id', label: '#', cls: 'c-id num' },
  { key: 'user', label: 'User', cls: 'c-user' },
  { key: null, label: 'Item', cls: 'c-item' },
  { key: null, label: 'Rationale', cls: 'c-text' },
  { key: 'status', label: 'Status', cls: 'c-status' },
  { key: 'agent', label: 'Agent', cls: 'c-agent' },
  { key: 'model', label: 'Model', cls: 'c-model' },
  { key: 'length', label: 'Length', cls: 'c-len num' },
  { key: 'flags', label: 'Flags', cls: 'c-flags' },
];

type Filters = Omit<BulkFilter, 'dataset'>;

/**
 * Every rationale of a dataset in a virtualized table: only the visible rows are in the DOM and pages of rows are
 * fetched as they scroll into view. Full-text search (FTS5 on the host), filters, sortable columns, multi-select
 * (click, Ctrl/Shift+click, select all matching) and bulk decisions; Enter or double-click opens a row for review.
 */
export function BulkEditor({ input }: EditorProps) {
  const dataset = (input.data as { dataset: string }).dataset;
  const s = useServices();
  const ctl = reviewController(s);
  const config = useStore(ctl.config);
  const annotator = useStore(s.settings.settings)?.annotator ?? '';
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'id', desc: false });
  const [total, setTotal] = useState<number | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, BulkRow[]>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [cursor, setCursor] = useState(0);
  const [reason, setReason] = useState('');
  const [facets, setFacets] = useState<{ models: string[]; templates: string[]; agents: string[]; annotators: string[] } | null>(null);
  const [generation, setGeneration] = useState(0);
  const body = useRef<HTMLDivElement>(null);
  const loading = useRef(new Set<number>());
  const report = useCallback((e: unknown) => s.notifications.error(e), [s]);

  useEffect(() => {
    if (!ctl.config.get()) ctl.loadConfig().catch(report);
    s.api.call('review.facets', { dataset }).then(setFacets, report);
  }, [ctl, dataset, s, report, generation]);

  // Debounced search: one query per pause in typing.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => ({ ...f, search: search.trim() || undefined })), 150);
    return () => clearTimeout(t);
  }, [search]);

  const query = useMemo(() => ({ dataset, ...filters, sort: sort.key, desc: sort.desc }), [dataset, filters, sort]);
  const queryKey = JSON.stringify(query) + generation;

  const fetchPage = useCallback(
    (page: number, key: string) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      s.api.call('review.bulk', { ...query, offset: page * PAGE, limit: PAGE }).then(
        (r) => {
          if (key !== queryKeyRef.current) return;
          loading.current.delete(page);
          setTotal(r.total);
          setMs(r.ms);
          setPages((p) => new Map(p).set(page, r.rows));
        },
        (e) => {
          loading.current.delete(page);
          report(e);
        },
      );
    },
    [query, s, report],
  );
  const queryKeyRef = useRef(queryKey);

  // A new query: drop the cache, fetch the first page.
  useEffect(() => {
    queryKeyRef.current = queryKey;
    loading.current.clear();
    setPages(new Map());
    setCursor(0);
    body.current?.scrollTo({ top: 0 });
    setScrollTop(0);
    fetchPage(0, queryKey);
  }, [queryKey, fetchPage]);

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - 10);
  const last = Math.min(total ?? 0, Math.ceil((scrollTop + height) / ROW_H) + 10);
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) if (!pages.has(p)) fetchPage(p, queryKeyRef.current);
  }, [first, last, pages, fetchPage]);

  const rowAt = (i: number): BulkRow | undefined => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  const open = (row: BulkRow | undefined) => row && openReview(s, dataset, 'all', row.id);

  const toggle = (i: number, e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }) => {
    const row = rowAt(i);
    if (!row) return;
    setSelected((prev) => {
      const next = new Set(e.ctrlKey || e.metaKey || e.shiftKey ? prev : []);
      if (e.shiftKey) {
        const [a, b] = [Math.min(cursor, i), Math.max(cursor, i)];
        for (let k = a; k <= b; k++) {
          const r = rowAt(k);
          if (r) next.add(r.id);
        }
      } else if (next.has(row.id) && (e.ctrlKey || e.metaKey)) next.delete(row.id);
      else next.add(row.id);
      return next;
    });
    setCursor(i);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!total) return;
    const move = (i: number) => {
      const c = Math.max(0, Math.min(total - 1, i));
      setCursor(c);
      const el = body.current!;
      if (c * ROW_H < el.scrollTop) el.scrollTop = c * ROW_H;
      else if ((c + 1) * ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = (c + 1) * ROW_H - el.clientHeight;
    };
    if (e.key === 'ArrowDown') move(cursor + 1);
    else if (e.key === 'ArrowUp') move(cursor - 1);
    else if (e.key === 'PageDown') move(cursor + Math.floor(height / ROW_H));
    else if (e.key === 'PageUp') move(cursor - Math.floor(height / ROW_H));
    else if (e.key === 'Enter') open(rowAt(cursor));
    else if (e.key === ' ') toggle(cursor, { ctrlKey: true, metaKey: false, shiftKey: false });
    else return;
    e.preventDefault();
  };

  const selectAll = async () => {
    const { ids } = await s.api.call('review.bulk.ids', { dataset, ...filters });
    setSelected(new Set(ids));
  };

  const bulk = async (decision: 'accepted' | 'rejected' | 'flagged') => {
    if (!selected.size) return;
    if (decision === 'rejected' && !reason) {
      s.notifications.info('Pick a reject reason first.');
      return;
    }
    const ok = await s.dialogs.confirm({
      title: 'Bulk decision',
      message: `Record “${decision}” by ${annotator} on ${selected.size.toLocaleString()} rationale(s)? Each is a decision in their history (undo works record by record).`,
      confirmLabel: 'Apply',
    });
    if (!ok) return;
    const r = await s.api.call('review.bulk.decide', { ids: [...selected], annotator, decision, ...(decision === 'rejected' ? { reason } : {}) });
    ctl.didDecide(dataset);
    s.notifications.info(`${r.decided.toLocaleString()} decision(s) recorded.`);
    setSelected(new Set());
    setGeneration((g) => g + 1);
  };

  const set = <K extends keyof Filters>(k: K, v: Filters[K] | undefined) => setFilters((f) => ({ ...f, [k]: v === '' ? undefined : v }));

  return (
    <div className="editor-page bulk-editor" data-testid="bulk-editor" data-total={total ?? ''} data-query={filters.search ?? ''}>
      <header className="page-header">
        <h1>Rationales · {dataset}</h1>
        <span className="spacer" />
        <span className="muted small" data-testid="bulk-count">
          {total === null ? 'Loading…' : `${total.toLocaleString()} rationale(s)${ms !== null ? ` · ${ms.toFixed(1)} ms` : ''}`}
        </span>
      </header>
      <div className="bulk-filters">
        <input
          className="input bulk-search"
          placeholder="Search text and item titles"
          aria-label="Search rationales"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          className="input"
          aria-label="Status filter"
          value={filters.status?.[0] ?? ''}
          onChange={(e) => set('status', e.target.value ? [e.target.value as ReviewStatus] : undefined)}
        >
          <option value="">Any status</option>
          {STATUSES.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select className="input" aria-label="Annotator" value={filters.annotator ?? ''} onChange={(e) => set('annotator', e.target.value)}>
          <option value="">Any annotator</option>
          {facets?.annotators.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Agent"
          value={filters.agentKind?.[0] ?? ''}
          onChange={(e) => set('agentKind', e.target.value ? [e.target.value as 'slm'] : undefined)}
        >
          <option value="">Any agent</option>
          {facets?.agents.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select className="input" aria-label="Model" value={filters.model ?? ''} onChange={(e) => set('model', e.target.value)}>
          <option value="">Any model</option>
          {facets?.models.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <select className="input" aria-label="Template" value={filters.template ?? ''} onChange={(e) => set('template', e.target.value)}>
          <option value="">Any template</option>
          {facets?.templates.map((x) => (
            <option key={x}>{x}</option>
          ))}
        </select>
        <input
          className="input num-input"
          type="number"
          min={0}
          placeholder="min len"
          aria-label="Minimum length"
          value={filters.minLength ?? ''}
          onChange={(e) => set('minLength', e.target.value === '' ? undefined : Number(e.target.value))}
        />
        <input
          className="input num-input"
          type="number"
          min={0}
          placeholder="max len"
          aria-label="Maximum length"
          value={filters.maxLength ?? ''}
          onChange={(e) => set('maxLength', e.target.value === '' ? undefined : Number(e.target.value))}
        />
        <select
          className="input"
          aria-label="Has edits"
          value={filters.hasEdits === undefined ? '' : String(filters.hasEdits)}
          onChange={(e) => set('hasEdits', e.target.value === '' ? undefined : e.target.value === 'true')}
        >
          <option value="">Edits: any</option>
          <option value="true">Has edits</option>
          <option value="false">No edits</option>
        </select>
        <select
          className="input"
          aria-label="Quality flag"
          value={filters.anyFlag ? 'any' : (filters.flags?.[0] ?? '')}
          onChange={(e) =>
            setFilters((f) => ({
              ...f,
              anyFlag: e.target.value === 'any' ? true : undefined,
              flags: e.target.value && e.target.value !== 'any' ? [e.target.value as QualityFlag] : undefined,
            }))
          }
        >
          <option value="">Flags: any or none</option>
          <option value="any">Any flag</option>
          {FLAGS.map((x) => (
            <option key={x} value={x}>
              {x.replace('_', ' ')}
            </option>
          ))}
        </select>
      </div>
      <div className="bulk-actions">
        <span className="muted small" data-testid="bulk-selected">
          {selected.size.toLocaleString()} selected
        </span>
        <button className="button small secondary" onClick={() => void selectAll().catch(report)}>
          Select all matching
        </button>
        <button className="button small secondary" disabled={!selected.size} onClick={() => setSelected(new Set())}>
          Clear
        </button>
        <button className="button small" disabled={!selected.size} onClick={() => void bulk('accepted').catch(report)}>
          Accept
        </button>
        <button className="button small secondary" disabled={!selected.size} onClick={() => void bulk('flagged').catch(report)}>
          Flag
        </button>
        <select className="input" aria-label="Reject reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">Reject reason…</option>
          {config?.rejectReasons.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button className="button small secondary" disabled={!selected.size || !reason} onClick={() => void bulk('rejected').catch(report)}>
          Reject
        </button>
      </div>
      <div className="bulk-table" role="grid" aria-label="Rationales" aria-rowcount={total ?? 0}>
        <div className="bulk-row bulk-head" role="row">
          {COLUMNS.map((c) => (
            <div
              key={c.label}
              role="columnheader"
              className={`bulk-cell ${c.cls}${c.key ? ' sortable' : ''}`}
              aria-sort={c.key && sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
            >
              {c.key ? (
                <button className="link-button" onClick={() => setSort((p) => ({ key: c.key!, desc: p.key === c.key ? !p.desc : false }))}>
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                c.label
              )}
            </div>
          ))}
        </div>
        {/* The rows' group (a grid holds rows and row groups only); focusable, as the keyboard moves the cursor here. */}
        <div
          className="bulk-body"
          role="rowgroup"
          ref={body}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          data-testid="bulk-body"
        >
          <div style={{ height: (total ?? 0) * ROW_H, position: 'relative' }}>
            {Array.from({ length: Math.max(0, last - first) }, (_, k) => {
              const i = first + k;
              const r = rowAt(i);
              return (
                <div
                  key={i}
                  role="row"
                  aria-rowindex={i + 1}
                  aria-selected={r ? selected.has(r.id) : false}
                  className={`bulk-row${r && selected.has(r.id) ? ' selected' : ''}${i === cursor ? ' cursor' : ''}`}
                  style={{ position: 'absolute', top: i * ROW_H, height: ROW_H, left: 0, right: 0 }}
                  data-id={r?.id}
                  onClick={(e) => toggle(i, e)}
                  onDoubleClick={() => open(r)}
                >
                  {r ? (
                    <>
                      <div role="gridcell" className="bulk-cell c-id num">
                        {r.id}
                      </div>
                      <div role="gridcell" className="bulk-cell c-user mono ellipsis">
                        {r.userOriginalId}
                      </div>
                      <div role="gridcell" className="bulk-cell c-item ellipsis" title={r.itemTitle}>
                        {r.itemTitle}
                      </div>
                      <div role="gridcell" className="bulk-cell c-text ellipsis" title={r.text}>
                        {r.text}
                      </div>
                      <div role="gridcell" className="bulk-cell c-status">
                        <span className={`review-status status-${r.status}`}>{r.status}</span>
                        {r.annotator ? <span className="muted small"> {r.annotator}</span> : null}
                      </div>
                      <div role="gridcell" className="bulk-cell c-agent">
                        {r.agentKind}
                        {r.hasEdits ? <span className="muted small"> +edit</span> : null}
                      </div>
                      <div role="gridcell" className="bulk-cell c-model ellipsis" title={r.template ? `${r.model} · ${r.template}` : r.model}>
                        {r.model}
                      </div>
                      <div role="gridcell" className="bulk-cell c-len num">
                        {r.length}
                      </div>
                      <div role="gridcell" className="bulk-cell c-flags ellipsis">
                        {r.flags.map((f) => (
                          <span key={f} className={`flag flag-${f}`}>
                            {f.replace('_', ' ')}
                          </span>
                        ))}
                      </div>
                    </>
                  ) : (
                    <div role="gridcell" className="bulk-cell muted">
                      …
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
