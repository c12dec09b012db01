/**
 * Crash test: edits typed and not yet decided are drafts on the host; SIGKILL the host process (`pulse serve`,
 * the compiled host) right after a draft save answered, and the draft is there when the workspace opens again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../../../preload/contract/review.js';
import { DEFAULT_CONFIG } from '../../../main/review/review-config.js';
import { getRecord } from '../../../main/review/review-record.js';
import { openDatabase } from '../../../main/storage/database.js';
import { PULSE_BIN } from '../../support/cli.js';
import { reviewFixture } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';

const t = tempDir();
afterAll(() => t.cleanup());

async function serve(workspace: string): Promise<{ child: ChildProcess; call: <T>(method: string, input: unknown) => Promise<T> }> {
  const child = spawn(process.execPath, [PULSE_BIN, 'serve', '--port', '0', '--workspace', workspace, '--json'], {
    env: { ...process.env, PULSE_NO_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`pulse serve exited with ${code}`)));
  });
  const url = new URL((JSON.parse(line) as { url: string }).url);
  const token = url.searchParams.get('token')!;
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await fetch(new URL(`/api/call/${method}`, url), {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    const env = (await r.json()) as { ok: boolean; result: T; error: unknown };
    if (!env.ok) throw new Error(JSON.stringify(env.error));
    return env.result;
  };
  return { child, call };
}

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
    host.child.kill('SIGKILL');
    await new Promise((r) => host.child.once('exit', r));
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
      again.child.kill('SIGTERM');
    }
  });
});
