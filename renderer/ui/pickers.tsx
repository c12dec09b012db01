import { useEffect, useState } from 'react';
import { useStore } from '../state/store';
import { useServices } from '../workbench/services';

/** A select of the workspace's datasets; picks the first when none is chosen. */
export function DatasetSelect({ value, onChange, label = 'Dataset', title }: { value: string; onChange: (v: string) => void; label?: string; title?: string }) {
  const s = useServices();
  const list = useStore(s.datasets.list) ?? [];
  useEffect(() => {
    if (!value && list[0]) onChange(list[0].name);
  }, [value, list, onChange]);
  return (
    <select className="input" aria-label={label} title={title} value={value} onChange={(e) => onChange(e.target.value)}>
      {list.length === 0 && <option value="">(no datasets)</option>}
      {list.map((d) => (
        <option key={d.name} value={d.name}>
          {d.name}
        </option>
      ))}
    </select>
  );
}

/** A user of a dataset, searched by original id; the value is the user index. */
export function UserPicker({ dataset, value, onChange }: { dataset: string; value: number | null; onChange: (v: number | null) => void }) {
  const s = useServices();
  const [search, setSearch] = useState('');
  const [users, setUsers] = useState<{ idx: number; originalId: string; interactions: number }[]>([]);
  useEffect(() => {
    if (!dataset) return;
    let live = true;
    const t = setTimeout(() => {
      s.api.call('datasets.users', { name: dataset, limit: 100, ...(search.trim() ? { search: search.trim() } : {}) }).then(
        (r) => {
          if (!live) return;
          setUsers(r.users);
        },
        () => live && setUsers([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // value/onChange only pick a default.
  }, [dataset, search, s]);
  // No user chosen (first load, or the dataset was chosen again): the first one listed.
  useEffect(() => {
    if (value === null && users[0]) onChange(users[0].idx);
  }, [value, users, onChange]);
  return (
    <span className="user-picker">
      <input className="input" placeholder="Search user id" aria-label="Search user" value={search} onChange={(e) => setSearch(e.target.value)} />
      <select className="input" aria-label="User" value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
        {value !== null && !users.some((u) => u.idx === value) && <option value={value}>#{value}</option>}
        {users.map((u) => (
          <option key={u.idx} value={u.idx}>
            {u.originalId} ({u.interactions})
          </option>
        ))}
      </select>
    </span>
  );
}

/** A model: a GGUF path, a file name in the workspace's models/ folder, or a registered model's id. */
export function ModelInput({ value, onChange, label = 'Model', title }: { value: string; onChange: (v: string) => void; label?: string; title?: string }) {
  const s = useServices();
  const [known, setKnown] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    let live = true;
    (s.api.call as unknown as (m: string, i: unknown) => Promise<{ models?: { id?: number | string; name?: string; path?: string }[] }>)(
      'models.list',
      {},
    ).then(
      (r) => live && setKnown((r.models ?? []).map((m) => ({ value: m.path ?? String(m.id ?? m.name), label: m.name ?? String(m.id) }))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [s]);
  return (
    <>
      <input
        className="input mono"
        aria-label={label}
        title={title ?? 'A GGUF file path, a file name in the workspace models/ folder, or a registered model id'}
        placeholder="/path/to/model.gguf or model name"
        list="pulse-known-models"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id="pulse-known-models">
        {known.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </datalist>
    </>
  );
}
