/**
 * Accessibility checks with axe-core (@axe-core/playwright) on what the workbench shows, in the dark and the light
 * theme: no serious or critical violation. `a11y-setup.ts` runs `checkScreen` after every end-to-end test on
 * every open browser, so each view a test reaches is checked; `views.e2e.ts` opens every view on purpose.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const A11Y_THEMES = ['dark', 'light'] as const;
const BLOCKING = new Set(['serious', 'critical']);

/** What is on screen as far as the checks go: the side bar's view, the active editor's kind, open dialogs. */
export async function screenKey(page: Page): Promise<string> {
  const attr = async (selector: string, name: string) =>
    (await page.locator(selector).count()) ? await page.locator(selector).first().getAttribute(name) : null;
  const view = await attr('.activity-item.active', 'data-view');
  const editor = await attr('.tab.active', 'data-editor-kind');
  const dialogs = await page.locator('[role="dialog"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? 'dialog').join('+'));
  const panel = (await page.locator('.panel [role="tab"][aria-selected="true"]').count())
    ? await page.locator('.panel [role="tab"][aria-selected="true"]').first().textContent()
    : null;
  return `view ${view ?? '-'}, editor ${editor ?? '-'}, dialogs ${dialogs || '-'}, panel ${panel ?? '-'}`;
}

/** Sets the theme on <html> (what settings.ts does) and waits two frames for the styles to apply. */
const SET_THEME = `(t) => { document.documentElement.dataset.theme = t; return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))); }`;

/** Serious and critical violations in each theme (switched on <html> for the check, then put back). */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  const original = (await page.locator('html').getAttribute('data-theme')) ?? 'dark';
  const out: string[] = [];
  try {
    for (const theme of A11Y_THEMES) {
      await page.evaluate(`(${SET_THEME})(${JSON.stringify(theme)})`);
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations) {
        if (!BLOCKING.has(v.impact ?? '')) continue;
        const where = v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1, 2).join('').trim()})` : ''}`)
          .join('; ');
        out.push(`[${label}] ${theme}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.length} node(s): ${where}`);
      }
    }
  } finally {
    await page.evaluate(`(${SET_THEME})(${JSON.stringify(original)})`);
  }
  return out;
}

/** Checks the page once per distinct screen (screenKey); returns the violations found now. */
export async function checkScreen(page: Page, seen: Set<string>): Promise<string[]> {
  // A browser not yet pointed at the workbench (about:blank) has nothing of ours to check.
  if (page.isClosed() || !/^https?:/.test(page.url())) return [];
  const key = await screenKey(page).catch(() => null);
  if (key === null || seen.has(key)) return [];
  seen.add(key);
  return axeViolations(page, key);
}
