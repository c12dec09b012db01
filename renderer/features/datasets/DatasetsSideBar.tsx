import { useState } from 'react';
import { KeybindingLabel } from '../../commands/keybinding-label';
import { fmtInt } from '../../services/jobs';
import { useStore } from '../../state/store';
import { AddIcon, EditIcon, RefreshIcon, TrashIcon } from '../../ui/icons';
import { SideBarItem } from '../../ui/SideBarItem';
import { useServices } from '../../workbench/services';
import { deleteDataset, openDataset, openImport, renameDataset } from './commands';

export function DatasetsSideBar() {
  const s = useServices();
  const list = useStore(s.datasets.list);
  const error = useStore(s.datasets.error);
  const editors = useStore(s.editors.state);
  const [filter, setFilter] = useState('');
  useStore(s.commands.commands);
  const importKb = s.commands.keybindingFor('datasets.import');
  const report = (p: Promise<unknown>) => void p.catch((e) => s.notifications.error(e));
  const shown = (list ?? []).filter((d) => d.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="datasets-sidebar">
      <div className="sidebar-toolbar">
        <button className="button small" onClick={() => openImport(s)} title={importKb ? `Import Dataset (${importKb})` : 'Import Dataset'}>
          <AddIcon /> Import…
        </button>
        <span className="spacer" />
        <button className="icon-button" title="Refresh Datasets" aria-label="Refresh Datasets" onClick={() => report(s.datasets.refresh())}>
          <RefreshIcon />
        </button>
      </div>
      {list && list.length > 6 && (
        <input
          className="input sidebar-filter"
          placeholder="Filter datasets"
          aria-label="Filter datasets"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {error && !list && (
        <div className="sidebar-message error-text" role="alert">
          Could not list datasets: {error}
        </div>
      )}
      {list && list.length === 0 && (
        <div className="sidebar-message">
          <p>No datasets in this workspace yet.</p>
          <button className="button" onClick={() => openImport(s)}>
            Import a dataset
          </button>
          <p className="muted">
            S3-Rec, LC-Rec, RecBole atomic files, Amazon reviews, MovieLens or CSV. <KeybindingLabel keybinding={importKb} />
          </p>
        </div>
      )}
      <ul className="list" aria-label="Datasets">
        {shown.map((d) => (
          <SideBarItem
            key={d.name}
            className="dataset-item"
            data={{ 'data-dataset': d.name }}
            selected={editors.active === `dataset:${d.name}`}
            onOpen={() => openDataset(s, d.name)}
            openTitle={`${d.name}: open (Enter), rename (F2), delete (Delete)`}
            onKeyDown={(e) => {
              if (e.key === 'F2') report(renameDataset(s, d.name));
              if (e.key === 'Delete') report(deleteDataset(s, d.name));
            }}
            main={
              <>
                <span className="list-item-title">{d.name}</span>
                <span className="list-item-meta">
                  {d.format}
                  {d.synthetic ? ' · synthetic' : ''}
                </span>
              </>
            }
            sub={
              <>
                <span title="Users">{fmtInt(d.users)} users</span>
                <span title="Items">{fmtInt(d.items)} items</span>
                <span title="Interactions">{fmtInt(d.interactions)} inter.</span>
              </>
            }
            actions={[
              { label: `Rename ${d.name}`, title: 'Rename (F2)', icon: <EditIcon />, run: () => report(renameDataset(s, d.name)) },
              { label: `Delete ${d.name}`, title: 'Delete (Delete)', icon: <TrashIcon />, run: () => report(deleteDataset(s, d.name)) },
            ]}
          />
        ))}
      </ul>
    </div>
  );
}
