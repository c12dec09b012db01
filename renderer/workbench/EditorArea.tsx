import { Suspense } from 'react';
import { EDITORS } from '../features';
import type { EditorInput } from '../services/editors';
import { useStore } from '../state/store';
import { CloseIcon } from '../ui/icons';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { useServices } from './services';
import { Welcome } from './Welcome';

export function EditorArea() {
  const s = useServices();
  const { tabs, active } = useStore(s.editors.state);
  useStore(s.commands.commands);
  const closeKb = s.commands.keybindingFor('workbench.action.closeActiveEditor');
  const current = tabs.find((t) => t.id === active) ?? null;
  return (
    <section className="editor-area" aria-label="Editors">
      {tabs.length > 0 && (
        <div className="tabs" role="tablist" aria-label="Open editors">
          {tabs.map((t) => (
            <div
              key={t.id}
              role="tab"
              aria-selected={t.id === active}
              tabIndex={t.id === active ? 0 : -1}
              className={`tab${t.id === active ? ' active' : ''}`}
              title={t.description ?? t.title}
              onClick={() => s.editors.activate(t.id)}
              onAuxClick={(e) => e.button === 1 && s.editors.close(t.id)}
              onKeyDown={(e) => e.key === 'Delete' && s.editors.close(t.id)}
              data-editor-id={t.id}
              data-editor-kind={t.kind}
            >
              <span className="tab-label">{t.title}</span>
              {/* The mouse's close control. A button inside a tab would nest interactive controls (axe:
                  nested-interactive); from the keyboard, Delete on the tab or the Close Editor keys close it. */}
              <span
                className="tab-close"
                aria-hidden="true"
                title={closeKb ? `Close (${closeKb}, or Delete on the tab)` : 'Close (Delete on the tab)'}
                onClick={(e) => {
                  e.stopPropagation();
                  s.editors.close(t.id);
                }}
              >
                <CloseIcon />
              </span>
            </div>
          ))}
        </div>
      )}
      <div className="editor-content">
        {current ? (
          // One mounted editor at a time, keyed by input so state resets when the tab changes.
          <ErrorBoundary key={current.id}>
            <Suspense fallback={<div className="empty-state">Loading…</div>}>
              <EditorFor input={current} />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <Welcome />
        )}
      </div>
    </section>
  );
}

function EditorFor({ input }: { input: EditorInput }) {
  const Editor = EDITORS[input.kind];
  if (!Editor) return <div className="empty-state">No editor for “{input.kind}”.</div>;
  return <Editor input={input} />;
}
