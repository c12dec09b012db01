/**
 * Vitest setup for the end-to-end tests: after every test, each browser still open is checked with axe-core in
 * the dark and light theme (support/a11y.ts), once per distinct screen. A serious or critical violation fails the
 * test that left the workbench in that state.
 */
import { afterEach, expect } from 'vitest';
import { checkScreen } from './a11y.js';
import { liveBrowsers } from './browser.js';

afterEach(async () => {
  const found: string[] = [];
  for (const b of liveBrowsers) found.push(...(await checkScreen(b.page, b.a11yChecked)));
  expect(found, 'serious or critical accessibility violations (axe-core)').toEqual([]);
});
