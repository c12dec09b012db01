import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useRef } from 'react';
import { useStore } from '../../state/store';
import { useServices } from '../../workbench/services';

// Bundled monaco and its worker (the CSP forbids CDNs); plain text needs only the editor worker.
self.MonacoEnvironment ??= { getWorker: () => new EditorWorker() };

const MONACO_THEME = { dark: 'vs-dark', light: 'vs', 'high-contrast': 'hc-black' } as const;

export interface ReviewDiffHandle {
  focus(): void;
  value(): string;
}

export interface ReviewDiffProps {
  /** Changes when another record (or version) is shown: the models are reset. */
  recordKey: string;
  original: string;
  modified: string;
  editing: boolean;
  sideBySide: boolean;
  onChange(text: string): void;
  /** Called once the record's text is in the editor (the benchmark's "shown and editable"). */
  onShown(key: string): void;
}

/** The rationale in monaco's diff editor: the model's suggestion on the left, the text under review on the right. */
export const ReviewDiff = forwardRef<ReviewDiffHandle, ReviewDiffProps>(function ReviewDiff(p, ref) {
  const s = useServices();
  const theme = useStore(s.settings.settings)?.theme ?? 'dark';
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const models = useRef<{ original: monaco.editor.ITextModel; modified: monaco.editor.ITextModel } | null>(null);
  const settingValue = useRef(false);
  const onChange = useRef(p.onChange);
  onChange.current = p.onChange;

  // Layout effects, so the editor exists before the record effect below fills it (same commit).
  useLayoutEffect(() => {
    const e = monaco.editor.createDiffEditor(host.current!, {
      automaticLayout: true,
      renderSideBySide: p.sideBySide,
      originalEditable: false,
      readOnly: !p.editing,
      wordWrap: 'on',
      diffWordWrap: 'on',
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineNumbers: 'off',
      renderOverviewRuler: false,
      ariaLabel: 'Rationale under review (right) against the model suggestion (left)',
      accessibilityVerbose: true,
    });
    const original = monaco.editor.createModel('', 'plaintext');
    const modified = monaco.editor.createModel('', 'plaintext');
    e.setModel({ original, modified });
    models.current = { original, modified };
    editor.current = e;
    const sub = modified.onDidChangeContent(() => {
      if (!settingValue.current) onChange.current(modified.getValue());
    });
    return () => {
      sub.dispose();
      e.dispose();
      original.dispose();
      modified.dispose();
      editor.current = null;
    };
    // Created once; options follow in the effects below.
  }, []);

  useLayoutEffect(() => {
    const m = models.current!;
    settingValue.current = true;
    if (m.original.getValue() !== p.original) m.original.setValue(p.original);
    if (m.modified.getValue() !== p.modified) {
      m.modified.setValue(p.modified);
      // setValue puts the cursor at the start; someone already typing continues at the end.
      const me = editor.current?.getModifiedEditor();
      if (me?.hasTextFocus()) me.setPosition(m.modified.getFullModelRange().getEndPosition());
    }
    settingValue.current = false;
    p.onShown(p.recordKey);
    // Only a new record resets the text; while editing the model is the source of truth.
  }, [p.recordKey]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly: !p.editing, renderSideBySide: p.sideBySide });
  }, [p.editing, p.sideBySide]);

  useEffect(() => {
    monaco.editor.setTheme(MONACO_THEME[theme]);
  }, [theme]);

  useImperativeHandle(ref, () => ({
    focus: () => {
      const m = editor.current?.getModifiedEditor();
      if (!m) return;
      const model = m.getModel();
      if (model) m.setPosition(model.getFullModelRange().getEndPosition());
      m.focus();
      if (model) m.setPosition(model.getFullModelRange().getEndPosition());
    },
    value: () => models.current?.modified.getValue() ?? '',
  }));

  return <div className="review-diff" ref={host} data-editing={p.editing} />;
});
