/**
 * Crash test: edits typed and not yet decided are drafts on the host; SIGKILL the host process (`pulse serve`,
 * the compiled host) right after a draft save answered, and the draft is there when the workspace opens again.
 * test/integration/crash-safety.test.ts lists every crash case and covers the other jobs.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../../../common/contract/review.js';
import { DEFAULT_CONFIG } from '../../../main/features/review/review-config.js';
import { getRecord } from '../../../main/features/review/review-record.js';
import { openDatabase } from '../../../main/platform/storage/database.js';
import { reviewFixture } from '../../support/review-data.js';
import { killStartedHosts, serveWorkspace as serve } from '../../support/served-host.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir();
afterAll(() => {
  killStartedHosts();
  t.cleanup();
});

describe('drafts survive the host being killed', () => {
  it('keeps every saved keystroke of an undecided edit after SIGKILL', async () => {
    const workspace = path.join(t.dir, 'ws');
    reviewFixture(workspace, { users: 10 }).db.close();
    const host = await serve(workspace);
    const { record } = await host.call<{ record: ReviewRecord }>('review.next', { dataset: 'tiny', annotator: 'ann', queue: 'pending' });
    const base = record.versions.at(-1)!.text;
    // What the review editor sends as the annotator types (debounced): each save replaces the last.
    let text = base;
    for (const piece of [' Typed', ' before', ' the crash.']) {
      text += piece;
      await host.call('review.draft.save', { id: record.id, annotator: 'ann', baseVersionId: record.currentVersionId, text });
    }
    await host.kill();
    expect(host.child.signalCode).toBe('SIGKILL');

    // The workspace as the next start finds it (WAL recovery included).
    const db = openDatabase(path.join(workspace, 'workspace.sqlite'));
    const after = getRecord(db, DEFAULT_CONFIG, record.id, 'ann');
    expect(after.draft).toMatchObject({ text, baseVersionId: record.currentVersionId });
    expect(after.status).toBe('pending');
    db.close();

    // And the restarted host gives it back to the review view.
    const again = await serve(workspace);
    try {
      const r = await again.call<ReviewRecord>('review.get', { id: record.id, annotator: 'ann' });
      expect(r.draft?.text).toBe(text);
    } finally {
      await again.stop();
    }
  });
});
