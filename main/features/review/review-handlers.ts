import type { Handlers, Host } from '../../platform/host/host.js';
import { exportRationales, importRationales } from './rationale-jsonl.js';
import { datasetByName } from '../datasets/dataset-ref.js';
import { datasetOfRationale } from '../rationales/rationale-store.js';
import { annotatorId, ensureAnnotator, listAnnotators } from './annotators.js';
import { datasetAgreement } from './agreement.js';
import { assign, reviewStats } from './assignment.js';
import { bulkIds, bulkQuery, facets } from './bulk.js';
import { bulkDecide, decide, discardDraft, saveDraft, undo } from './decisions.js';
import { configOut, readConfig, updateConfig } from './review-config.js';
import { getRecord, nextInQueue } from './review-record.js';

function nextRecord(host: Host, datasetId: number, annotator: string, queue: Parameters<typeof nextInQueue>[3], after?: number) {
  const db = host.workspace.db;
  const config = readConfig(host.workspace);
  const n = nextInQueue(db, datasetId, annotator, queue, config.blind, after);
  return { record: n.id === null ? null : getRecord(db, config, n.id, annotator), remaining: n.remaining };
}

function publicAnnotator(a: ReturnType<typeof listAnnotators>[number]) {
  return { name: a.name, displayName: a.displayName, role: a.role, decisions: a.decisions };
}

export const reviewHandlers: Handlers<
  | 'review.config.get'
  | 'review.config.update'
  | 'review.annotators'
  | 'review.annotators.add'
  | 'review.next'
  | 'review.get'
  | 'review.decide'
  | 'review.undo'
  | 'review.draft.save'
  | 'review.draft.discard'
  | 'review.bulk'
  | 'review.bulk.ids'
  | 'review.bulk.decide'
  | 'review.facets'
  | 'review.stats'
  | 'review.agreement'
  | 'review.assign'
  | 'review.quality'
  | 'review.merge'
  | 'rationales.export'
  | 'rationales.import'
> = {
  'review.config.get': (_i, host) => configOut(host.workspace),
  'review.config.update': (i, host) => {
    updateConfig(host.workspace, i);
    return configOut(host.workspace);
  },
  'review.annotators': (_i, host) => ({ annotators: listAnnotators(host.workspace.db).map(publicAnnotator) }),
  'review.annotators.add': (i, host) => {
    const db = host.workspace.db;
    ensureAnnotator(db, i.name, { displayName: i.displayName, role: i.role });
    return publicAnnotator(listAnnotators(db).find((a) => a.name === i.name)!);
  },
  'review.next': (i, host) => nextRecord(host, datasetByName(host.workspace.db, i.dataset).id, i.annotator, i.queue, i.after),
  'review.get': (i, host) => getRecord(host.workspace.db, readConfig(host.workspace), i.id, i.annotator),
  'review.decide': (i, host) => {
    const db = host.workspace.db;
    const r = decide(db, readConfig(host.workspace), {
      rationaleId: i.id,
      annotator: i.annotator,
      decision: i.decision,
      versionId: i.versionId,
      text: i.text,
      reason: i.reason,
      comment: i.comment,
      ms: i.ms,
    });
    let next = null;
    if (i.next) {
      const ds = datasetOfRationale(db, i.id);
      next = nextRecord(host, ds, i.annotator, i.next.queue, i.next.after ?? i.id);
    }
    return { ...r, next };
  },
  'review.undo': (i, host) => {
    const undone = undo(host.workspace.db, i.annotator, i.id);
    return { undone, record: undone ? getRecord(host.workspace.db, readConfig(host.workspace), undone.rationaleId, i.annotator) : null };
  },
  'review.draft.save': (i, host) => ({ savedAt: saveDraft(host.workspace.db, i.id, i.annotator, i.baseVersionId, i.text) }),
  'review.draft.discard': (i, host) => {
    discardDraft(host.workspace.db, i.id, i.annotator);
    return { ok: true as const };
  },
  'review.bulk': (i, host) => {
    const db = host.workspace.db;
    const { dataset, ...f } = i;
    return bulkQuery(db, datasetByName(db, dataset).id, f, f.annotator ? (annotatorId(db, f.annotator) ?? null) : null);
  },
  'review.bulk.ids': (i, host) => {
    const db = host.workspace.db;
    const { dataset, ...f } = i;
    return { ids: bulkIds(db, datasetByName(db, dataset).id, f, f.annotator ? (annotatorId(db, f.annotator) ?? null) : null) };
  },
  'review.bulk.decide': (i, host) => ({
    decided: bulkDecide(host.workspace.db, readConfig(host.workspace), i.ids, i.annotator, i.decision, i.reason, i.comment),
  }),
  'review.facets': (i, host) => facets(host.workspace.db, datasetByName(host.workspace.db, i.dataset).id),
  'review.stats': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    return reviewStats(host.workspace.db, ds.id, ds.name);
  },
  'review.agreement': (i, host) => {
    const ds = datasetByName(host.workspace.db, i.dataset);
    return datasetAgreement(host.workspace.db, ds.id, ds.name);
  },
  'review.assign': (i, host) => assign(host.workspace.db, datasetByName(host.workspace.db, i.dataset).id, i.annotators, i.overlap, i.onlyPending),
  'review.quality': (i, host) => {
    datasetByName(host.workspace.db, i.dataset);
    return { jobId: host.jobs.start('review.quality', i, `Check rationale quality for ${i.dataset}`).id };
  },
  'rationales.export': (i, host) => exportRationales(host.workspace.db, i.dataset, i.out),
  'rationales.import': (i, host) => importRationales(host.workspace.db, i.file, i.dataset),
  'review.merge': async (i, host) => {
    const r = await importRationales(host.workspace.db, i.file, i.dataset);
    return { ...r };
  },
};
