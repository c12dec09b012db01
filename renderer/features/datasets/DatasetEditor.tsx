import { useState } from 'react';
import type { EditorProps } from '../feature';
import { DatasetOverview } from './DatasetOverview';
import { UserBrowser } from './UserBrowser';

type Tab = 'overview' | 'users';

/** One dataset: its overview (counts and distributions) and a user browser, as two sub-views. */
export function DatasetEditor({ input }: EditorProps) {
  const data = input.data as { name: string; tab?: Tab };
  const [tab, setTab] = useState<Tab>(data.tab ?? 'overview');
  return (
    <div className="editor-page dataset-editor" data-dataset={data.name}>
      <header className="page-header">
        <h1>{data.name}</h1>
        <div className="segmented" role="tablist" aria-label="Dataset views">
          {(['overview', 'users'] as const).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
              {t === 'overview' ? 'Overview' : 'Users'}
            </button>
          ))}
        </div>
      </header>
      {tab === 'overview' ? <DatasetOverview name={data.name} /> : <UserBrowser name={data.name} />}
    </div>
  );
}
