import Editor, { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { useStore } from '../state/store';
import { useServices } from '../workbench/services';

// Bundled monaco and workers (the CSP forbids CDNs): tell @monaco-editor/react not to fetch its own.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};
loader.config({ monaco });

const MONACO_THEME = { dark: 'vs-dark', light: 'vs', 'high-contrast': 'hc-black' } as const;

/** Read-only JSON in monaco, following the workbench theme. */
export default function JsonView({ value }: { value: string }) {
  const s = useServices();
  const theme = useStore(s.settings.settings)?.theme ?? 'dark';
  return (
    <Editor
      value={value}
      language="json"
      theme={MONACO_THEME[theme]}
      options={{
        readOnly: true,
        minimap: { enabled: false },
        fontSize: 12,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        renderLineHighlight: 'none',
        folding: true,
      }}
    />
  );
}
