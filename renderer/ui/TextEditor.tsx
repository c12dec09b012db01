import Editor, { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { useStore } from '../state/store';
import { useServices } from '../workbench/services';

// Bundled monaco and workers (the CSP forbids CDNs), as in JsonView.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};
loader.config({ monaco });

const MONACO_THEME = { dark: 'vs-dark', light: 'vs', 'high-contrast': 'hc-black' } as const;

/** An editable text buffer in monaco (prompt templates), following the workbench theme. */
export default function TextEditor({
  value,
  onChange,
  language = 'plaintext',
  readOnly = false,
  label,
}: {
  value: string;
  onChange?: (v: string) => void;
  language?: string;
  readOnly?: boolean;
  label: string;
}) {
  const s = useServices();
  const theme = useStore(s.settings.settings)?.theme ?? 'dark';
  return (
    <Editor
      value={value}
      language={language}
      theme={MONACO_THEME[theme]}
      onChange={(v) => onChange?.(v ?? '')}
      options={{
        readOnly,
        ariaLabel: label,
        minimap: { enabled: false },
        fontSize: 12,
        wordWrap: 'on',
        scrollBeyondLastLine: false,
        automaticLayout: true,
        lineNumbers: 'on',
      }}
    />
  );
}
