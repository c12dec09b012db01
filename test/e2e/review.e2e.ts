import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReviewRecord } from '../../common/contract/review.js';
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
  /** The pending count the Rationales side bar shows. */
  const sidebarPending = async () =>
    Number((await browser.page.locator('[data-testid="review-stats"] tr[data-status="pending"] .num').textContent())?.replace(/,/g, ''));
  /** Computed styles of an element, for "looks like" assertions. */
  const styleOf = (selector: string, props: string[]) =>
    browser.page
      .locator(selector)
      .first()
      .evaluate((el, ps) => {
        // Runs in the page; this file is type-checked as Node code, without the DOM's globals.
        const cs = (globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string } }).getComputedStyle(el);
        return Object.fromEntries(ps.map((p) => [p, cs.getPropertyValue(p)]));
      }, props);

  test('accept, edit, reject, undo, next and previous, all from the keyboard', async () => {
    const { page } = browser;
    await page.keyboard.press('Alt+2');
    await page.locator('[data-testid="rationales-sidebar"]').waitFor();
    await page.locator('[data-testid="review-stats"]').waitFor();
    const pendingBefore = await sidebarPending();
    await page.keyboard.press('Control+Alt+R');
    await editor().waitFor({ timeout: 60_000 });
    const first = await shownId();
    // No job is running: the panel is closed and the review's history has the full height of the editor.
    await expect(page.locator('.panel').count()).resolves.toBe(0);
    const [body, area] = await Promise.all([page.locator('.review-body').boundingBox(), page.locator('.editor-area').boundingBox()]);
    expect(body!.y + body!.height).toBeGreaterThan(area!.y + area!.height - 40);
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
    // The side bar follows the decisions made in the editor (it kept its first counts before): the host's count,
    // three fewer than at the start, and the same number the editor shows for its queue.
    await expect.poll(sidebarPending, { timeout: 10_000 }).toBe(pendingBefore - 3);
    expect(await sidebarPending()).toBe(stats.statuses.pending);
    await expect.poll(async () => Number(await page.locator('[data-testid="review-remaining"]').getAttribute('data-remaining'))).toBe(stats.statuses.pending);
    expect(browser.problems).toEqual([]);
    expect(browser.dialogs).toEqual([]);
  });

  test('bulk view: search, filter, select, bulk decision, open a row in review', async () => {
    const { page } = browser;
    await page.keyboard.press('Control+Alt+B');
    const bulk = page.locator('[data-testid="bulk-editor"]');
    await bulk.waitFor();
    await page.locator('[data-testid="bulk-editor"][data-total="12"]').waitFor();
    // Nothing selected: Accept is disabled and looks it (like the disabled Flag beside it, not like the primary action).
    const accept = page.locator('.bulk-actions').getByRole('button', { name: 'Accept', exact: true });
    await expect(accept.isDisabled()).resolves.toBe(true);
    const look = ['background-color', 'color'];
    const acceptIdle = await styleOf('.bulk-actions .button:not(.secondary)', look);
    expect(acceptIdle).toEqual(await styleOf('.bulk-actions .button.secondary[disabled]', look));
    await page.getByLabel('Status filter').selectOption('pending');
    await page.locator('[data-testid="bulk-editor"][data-total="9"]').waitFor();
    await page.getByLabel('Search rationales').fill('zzzznotthere');
    await page.locator('[data-testid="bulk-editor"][data-total="0"]').waitFor();
    await page.getByLabel('Search rationales').fill('');
    await page.locator('[data-testid="bulk-editor"][data-total="9"]').waitFor();
    await page.getByRole('button', { name: 'Select all matching' }).click();
    await page.locator('[data-testid="bulk-selected"]', { hasText: '9 selected' }).waitFor();
    await expect(accept.isDisabled()).resolves.toBe(false);
    expect((await styleOf('.bulk-actions .button:not(.secondary)', look))['background-color']).not.toBe(acceptIdle['background-color']);
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

  test('the side bar: Check Quality looks like its neighbours, and the quality job opens the Jobs panel', async () => {
    const { page } = browser;
    const sidebar = page.locator('[data-testid="rationales-sidebar"]');
    // The bulk flagging above shows in the side bar without leaving the editor (the Flag decisions of the bulk view).
    await expect.poll(async () => Number((await sidebar.locator('tr[data-status="flagged"] .num').textContent()) ?? 0)).toBe(10);
    const look = ['height', 'font-size', 'background-color', 'color', 'padding-left'];
    const check = await styleOf('[data-testid="check-quality"]', look);
    expect(check).toEqual(await styleOf('[data-testid="open-bulk"]', look));
    await expect(page.locator('.panel').count()).resolves.toBe(0);
    await sidebar.getByRole('button', { name: /Check Quality/ }).click();
    await expect(page.locator('.panel [role="tab"][aria-selected="true"]').textContent()).resolves.toContain('JOBS');
    await page.locator('.jobs-table tr[data-state="succeeded"]').first().waitFor({ timeout: 30_000 });
    expect(browser.problems).toEqual([]);
  });
});
