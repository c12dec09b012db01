import { useCallback, useEffect, useRef } from 'react';
import type { ReviewRecord } from '../../../common/contract';
import { useServices } from '../../workbench/services';

const AUTOSAVE_MS = 300;

/**
 * Edits of the rationale saved on the host as a draft while typing (AUTOSAVE_MS after the last change), and once
 * more when the editor closes. `live` reads the record shown and whether it is being edited at the time of a change.
 */
export function useDraftAutosave({
  annotator,
  live,
  onSaved,
  report,
}: {
  annotator: string;
  live: () => { record: ReviewRecord | null; editing: boolean };
  onSaved: (message: string) => void;
  report: (e: unknown) => void;
}) {
  const s = useServices();
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; run: () => Promise<void> } | null>(null);

  /** Saves the unsaved change now (decisions on an edit wait for it). */
  const flush = useCallback(async () => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    await p.run();
  }, []);

  /** Drops the unsaved change (a decision other than an edit makes it moot). */
  const discard = useCallback(() => {
    if (!pending.current) return;
    clearTimeout(pending.current.timer);
    pending.current = null;
  }, []);

  const onChange = useCallback(
    (text: string) => {
      const { record: r, editing } = live();
      if (!r || !editing) return;
      if (pending.current) clearTimeout(pending.current.timer);
      const run = async () => {
        const { savedAt } = await s.api.call('review.draft.save', { id: r.id, annotator, baseVersionId: r.currentVersionId, text });
        onSaved(`Draft saved ${savedAt.slice(11, 19)}`);
      };
      pending.current = { timer: setTimeout(() => void flush().catch(report), AUTOSAVE_MS), run };
    },
    [annotator, s, flush, report, live, onSaved],
  );

  // Unsaved keystrokes are saved when the editor closes too.
  useEffect(() => () => void flush().catch(() => undefined), [flush]);

  return { onChange, flush, discard };
}
