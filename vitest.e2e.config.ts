import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the real `pulse serve` and Debian's Chromium (playwright-core). Build first:
 * `npx tsc -p tsconfig.build.json && npx vite build`, then `npx vitest run -c vitest.e2e.config.ts`.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each file starts its own server and browser; one at a time keeps timings steady on small machines.
    fileParallelism: false,
    // After every test, axe-core checks each open page in the dark and light theme (support/a11y.ts).
    setupFiles: ['test/e2e/support/a11y-setup.ts'],
  },
});
