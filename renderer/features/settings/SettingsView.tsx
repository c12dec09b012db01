import { useEffect, useState } from 'react';
import { THEMES, THEME_LABELS, type Theme } from '../../services/settings';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';

/** Workspace settings, saved through settings.update as they change (text fields on blur or Enter). */
export function SettingsView() {
  const s = useServices();
  const settings = useStore(s.settings.settings);
  const info = useStore(s.info);
  const [threads, setThreads] = useState('');
  const [annotator, setAnnotator] = useState('');
  useEffect(() => {
    if (settings) {
      setThreads(String(settings.threads));
      setAnnotator(settings.annotator);
    }
  }, [settings]);
  if (!settings) return <div className="empty-state">Loading settings…</div>;
  const save = (patch: Parameters<typeof s.settings.update>[0]) => s.settings.update(patch).catch((e) => s.notifications.error(e));
  const threadsValid = /^\d+$/.test(threads) && +threads >= 1 && +threads <= 256;
  return (
    <form className="settings-form" onSubmit={(e) => e.preventDefault()}>
      <div className="settings-group">Appearance</div>
      <label className="field">
        <span className="field-title">Color Theme</span>
        <span className="field-description">
          Dark, light or high contrast. Toggle from anywhere: {s.commands.keybindingFor('workbench.action.toggleTheme')}.
        </span>
        <select className="input" aria-label="Color Theme" value={settings.theme} onChange={(e) => void save({ theme: e.target.value as Theme })}>
          {THEMES.map((t) => (
            <option key={t} value={t}>
              {THEME_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <div className="settings-group">Compute</div>
      <label className="field">
        <span className="field-title">Threads</span>
        <span className="field-description">CPU threads for model inference and training jobs (1–256).</span>
        <input
          className="input"
          aria-label="Threads"
          inputMode="numeric"
          value={threads}
          aria-invalid={!threadsValid}
          onChange={(e) => setThreads(e.target.value)}
          onBlur={() => threadsValid && +threads !== settings.threads && void save({ threads: +threads })}
          onKeyDown={(e) => e.key === 'Enter' && threadsValid && void save({ threads: +threads })}
        />
        {!threadsValid && <span className="field-error">A whole number from 1 to 256.</span>}
      </label>
      <div className="settings-group">Review</div>
      <label className="field">
        <span className="field-title">Annotator</span>
        <span className="field-description">Your name on reviewed rationales (responses), as in Argilla.</span>
        <input
          className="input"
          aria-label="Annotator"
          maxLength={100}
          value={annotator}
          onChange={(e) => setAnnotator(e.target.value)}
          onBlur={() => annotator !== settings.annotator && void save({ annotator })}
          onKeyDown={(e) => e.key === 'Enter' && void save({ annotator })}
        />
      </label>
      {info && (
        <>
          <div className="settings-group">About</div>
          <dl className="about">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Workspace</dt>
            <dd title={info.workspace}>{info.workspace}</dd>
            <dt>Door</dt>
            <dd>{info.door}</dd>
            <dt>Platform</dt>
            <dd>{info.platform}</dd>
          </dl>
        </>
      )}
    </form>
  );
}
