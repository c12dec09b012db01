import { useCallback, useEffect, useRef, useState } from 'react';
import type { Decision, Queue, ReviewRecord } from '../../../common/contract';
import { useServices } from '../../workbench/services';
import { reviewController } from './review-controller';

type Next = { record: ReviewRecord | null; remaining: number };

/**
 * Walking a review queue: the record shown, how many the queue holds, decisions, next/previous/undo. Each decision
 * comes back with the next record in the same call; the record after the one shown is fetched while the annotator
 * reads, so a decision shows it at once and is saved right behind it (`busy`), or the record comes back if the host
 * refuses the decision. `onShow` runs for every record shown (the editor resets its form there).
 */
export function useReviewQueue({
  dataset,
  queue,
  id,
  annotator,
  onShow,
  drafts,
  report,
}: {
  dataset: string;
  queue: Queue;
  /** Open this record first (from the bulk view). */
  id?: number;
  annotator: string;
  onShow: (r: ReviewRecord | null) => void;
  drafts: { flush(): Promise<void>; discard(): void };
  report: (e: unknown) => void;
}) {
  const s = useServices();
  const ctl = reviewController(s);
  const { flush, discard } = drafts;
  const [record, setRecord] = useState<ReviewRecord | null>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const [empty, setEmpty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const visited = useRef<number[]>([]);
  const shownAt = useRef(performance.now());
  const live = useRef({ record, busy });
  live.current = { record, busy };

  const show = useCallback(
    (r: ReviewRecord | null, rem?: number) => {
      if (rem !== undefined) setRemaining(rem);
      setRecord(r);
      setEmpty(r === null);
      if (r) {
        const v = visited.current;
        if (v.at(-1) !== r.id) v.push(r.id);
      }
      shownAt.current = performance.now();
      onShow(r);
    },
    [onShow],
  );

  const prefetch = useRef<{ after: number; result: Next | null } | null>(null);
  const recordId = record?.id;
  useEffect(() => {
    if (recordId === undefined || !annotator) return;
    const entry: { after: number; result: Next | null } = { after: recordId, result: null };
    prefetch.current = entry;
    s.api.call('review.next', { dataset, annotator, queue, after: recordId }).then(
      (n) => (entry.result = n),
      () => undefined,
    );
  }, [recordId, annotator, dataset, queue, s]);

  // First record.
  useEffect(() => {
    if (!annotator) return;
    const first =
      id !== undefined
        ? s.api.call('review.get', { id, annotator }).then((r) => ({ record: r, remaining: undefined }))
        : s.api.call('review.next', { dataset, annotator, queue });
    first.then(
      (n) => show(n.record, n.remaining),
      (e: Error) => setError(e.message),
    );
  }, [annotator, dataset, queue, id, s, show]);

  const decide = useCallback(
    async (decision: Decision, extra: { text?: string; reason?: string; comment?: string } = {}) => {
      const r = live.current.record;
      if (!r || live.current.busy) return;
      setBusy(true);
      try {
        if (decision === 'edited') await flush();
        else discard();
        const input = {
          id: r.id,
          annotator,
          decision,
          versionId: r.currentVersionId,
          ...extra,
          ms: Math.round(performance.now() - shownAt.current),
        };
        const pf = prefetch.current;
        const next = decision !== 'edited' && pf?.after === r.id ? pf.result : null;
        if (next?.record && next.record.id !== r.id) {
          prefetch.current = null;
          show(next.record, queue === 'pending' ? Math.max(0, next.remaining - 1) : undefined);
          try {
            await s.api.call('review.decide', input);
            ctl.didDecide(dataset);
          } catch (e) {
            report(e);
            show(await s.api.call('review.get', { id: r.id, annotator }));
          }
          return;
        }
        const res = await s.api.call('review.decide', { ...input, next: { queue, after: r.id } });
        ctl.didDecide(dataset);
        show(res.next?.record ?? null, res.next?.remaining);
      } catch (e) {
        report(e);
      } finally {
        setBusy(false);
      }
    },
    [annotator, dataset, queue, s, ctl, show, report, flush, discard],
  );

  const next = useCallback(() => {
    const r = live.current.record;
    if (!r) return;
    s.api.call('review.next', { dataset, annotator, queue, after: r.id }).then((n) => show(n.record, n.remaining), report);
  }, [annotator, dataset, queue, s, show, report]);

  const previous = useCallback(() => {
    const v = visited.current;
    if (v.length < 2) return;
    v.pop();
    s.api.call('review.get', { id: v.at(-1)!, annotator }).then((rec) => show(rec), report);
  }, [annotator, s, show, report]);

  const undo = useCallback(() => {
    s.api.call('review.undo', { annotator }).then((u) => {
      if (!u.undone) s.notifications.info('Nothing to undo.');
      else {
        ctl.didDecide(dataset);
        show(u.record);
        setRemaining((n) => (n === null ? n : n + 1));
      }
    }, report);
  }, [annotator, dataset, s, ctl, show, report]);

  return { record, remaining, empty, error, busy, decide, next, previous, undo };
}
