import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReviewRecord } from '../../preload/contract/review.js';
import { reviewFixture } from '../support/review-data.js';
import { launch, openWorkbench, type Browser } from './support/browser.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

const ANNOTATOR = 'e2e-ann';

describe('review rationales with the keyboard only', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const workspace = path.join(tempDir('ws'), 'workspace');
    const fx = reviewFixture(workspace, { name: 'tiny', users: 12 });
    fx.db.prepare("INSERT INTO settings(key, value) VALUES ('settings', ?)").run(JSON.stringify({ theme: 'dark', threads: 2, annotator: ANNOTATOR }));
    fx.db.close();
    server = await startServer({ workspace, env: { PULSE_NO_DEMO: '1' } });
    browser = await launch();
    await openWorkbench(browser.page, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A host call from the page (same origin, the session cookie). */
  async function call<T>(method: string, input: unknown): Promise<T> {
    return browser.page.evaluate(
      async ([m, i]) => {
        const r = await fetch(`/api/call/${m}`, { method: 'POST', body: JSON.stringify(i), headers: { 'content-type': 'application/json' } });
        const env = (await r.json()) as { ok: boolean; result: unknown; error: unknown };
        if (!env.ok) throw new Error(JSON.stringify(env.error));
        return env.result;
      },
      [method, input] as const,
    ) as Promise<T>;
  }
  const editor = () => browser.page.locator('[data-testid="review-editor"]');
  async function shownId(): Promise<number> {
    await editor().locator('xpath=.').and(browser.page.locator('[data-shown]:not([data-shown=""])')).waitFor();
    return Number(await editor().getAttribute('data-shown'));
  }
  async function waitShown(id: number): Promise<void> {
    await browser.page.locator(`[data-testid="review-editor"][data-shown="${id}"][data-busy="false"]`).waitFor({ timeout: 20_000 });
  }
  const record = (id: number) => call<ReviewRecord>('review.get', { id, annotator: ANNOTATOR });

  test('accept, edit, reject, undo, next and previous, all from the keyboard', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+2');
    await page.locator('[data-testid="rationales-sidebar"]').waitFor();
    await page.keyboard.press('Control+Alt+R');
    await editor().waitFor({ timeout: 60_000 });
    const first = await shownId();
    // The decision keys are on screen with their keys.
    await expect(page.locator('.review-keys [data-action="accept"] kbd').textContent()).resolves.toBe('A');
    await expect(page.locator('[data-testid="review-history"] li').count()).resolves.toBeGreaterThan(0);

    // Accept: the next record opens by itself.
    await page.keyboard.press('a');
    await waitShown(first + 1);
    expect((await record(first)).status).toBe('accepted');

    // Edit: E focuses the editor, typing autosaves a draft on the host, Ctrl+Enter submits the edit.
    const second = first + 1;
    await page.keyboard.press('e');
    await page.locator('[data-testid="review-editor"][data-editing="true"]').waitFor();
    // Type once the editor has the focus (it takes it on the next animation frame).
    await page.locator('[data-testid="review-editor"] .monaco-editor.focused').waitFor();
    await page.keyboard.type(' Edited by keyboard.');
    await page.locator('[data-testid="draft-status"]', { hasText: 'Draft saved' }).waitFor();
    expect((await record(second)).draft?.text).toMatch(/ Edited by keyboard\.$/);
    await page.keyboard.press('Control+Enter');
    await waitShown(second + 1);
    const edited = await record(second);
    expect(edited.status).toBe('edited');
    const human = edited.versions.at(-1)!;
    expect(human).toMatchObject({ agentKind: 'human' });
    expect(human.text).toMatch(/ Edited by keyboard\.$/);
    expect(human.parentVersionId).toBe(edited.suggestionVersionId);
    expect(edited.draft).toBeNull();

    // Reject: R opens the reasons, a digit picks one.
    const third = second + 1;
    await page.keyboard.press('r');
    await page.getByRole('listbox', { name: 'Reject reasons' }).waitFor();
    await page.keyboard.press('2');
    await waitShown(third + 1);
    const rejected = await record(third);
    expect(rejected.status).toBe('rejected');
    const config = await call<{ rejectReasons: string[] }>('review.config.get', {});
    expect(rejected.decisions.at(-1)).toMatchObject({ decision: 'rejected', reason: config.rejectReasons[1], annotator: ANNOTATOR });

    // Undo: the rejected record comes back, pending again, the rejection kept (struck through) in its history.
    await page.keyboard.press('u');
    await waitShown(third);
    expect((await record(third)).status).toBe('pending');
    await expect(page.locator('[data-testid="review-log"] li.undone').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="review-status"]').textContent()).resolves.toBe('pending');

    // Next skips without deciding; previous goes back.
    await page.keyboard.press('j');
    await waitShown(third + 1);
    await page.keyboard.press('k');
    await waitShown(third);
    expect((await record(third + 1)).status).toBe('pending');

    // Typing in the comment box never triggers a decision key.
    await page.getByLabel('Comment').focus();
    await page.keyboard.type('a careful note');
    await page.keyboard.press('Escape');
    expect((await record(third)).status).toBe('pending');
    await page.keyboard.press('f');
    await waitShown(third + 1);
    expect((await record(third)).decisions.at(-1)).toMatchObject({ decision: 'flagged', comment: 'a careful note' });

    const stats = await call<{ statuses: Record<string, number> }>('review.stats', { dataset: 'tiny' });
    expect(stats.statuses).toMatchObject({ accepted: 1, edited: 1, rejected: 0, flagged: 1 });
    expect(browser.problems).toEqual([]);
    expect(browser.dialogs).toEqual([]);
  });

  test('bulk view: search, filter, select, bulk decision, open a row in review', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+B');
    const bulk = page.locator('[data-testid="bulk-editor"]');
    await bulk.waitFor();
    await page.locator('[data-testid="bulk-editor"][data-total="12"]').waitFor();
    await page.getByLabel('Status filter').selectOption('pending');
    await page.locator('[data-testid="bulk-editor"][data-total="9"]').waitFor();
    await page.getByLabel('Search rationales').fill('zzzznotthere');
    await page.locator('[data-testid="bulk-editor"][data-total="0"]').waitFor();
    await page.getByLabel('Search rationales').fill('');
    await page.locator('[data-testid="bulk-editor"][data-total="9"]').waitFor();
    await page.getByRole('button', { name: 'Select all matching' }).click();
    await page.locator('[data-testid="bulk-selected"]', { hasText: '9 selected' }).waitFor();
    await page.getByRole('button', { name: 'Flag', exact: true }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('[data-testid="bulk-editor"][data-total="0"]').waitFor();
    await page.getByLabel('Status filter').selectOption('flagged');
    await page.locator('[data-testid="bulk-editor"][data-total="10"]').waitFor();
    // Sort by length (descending on the second click) and open the cursor row with Enter.
    await page
      .getByRole('columnheader', { name: /Length/ })
      .getByRole('button')
      .click();
    await page
      .getByRole('columnheader', { name: /Length/ })
      .getByRole('button')
      .click();
    // Rows of the new order arrive after the sort: wait for it, and for the first row's data (placeholders have no id).
    await page.locator('[role="columnheader"][aria-sort="descending"]', { hasText: 'Length' }).waitFor();
    const firstRow = page.locator('.bulk-body .bulk-row[aria-rowindex="1"][data-id]');
    await firstRow.waitFor();
    const id = Number(await firstRow.getAttribute('data-id'));
    expect(id).toBeGreaterThan(0);
    await page.locator('[data-testid="bulk-body"]').focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="review-editor"][data-shown="${id}"]`).waitFor({ timeout: 30_000 });
    expect(browser.problems).toEqual([]);
  });
});
