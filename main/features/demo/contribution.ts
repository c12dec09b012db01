import type { FeatureContribution, Host } from '../../platform/host/host.js';

/**
 * A new workspace opened in the workbench gets the built-in demo once (deleting it later is respected).
 * The CLI never adds it implicitly (`pulse demo` does), nor does PULSE_NO_DEMO=1.
 */
function seedDemoOnce(host: Host): void {
  if (host.door === 'cli' || process.env.PULSE_NO_DEMO === '1') return;
  if (host.workspace.getSetting('demo.seeded', false)) return;
  host.workspace.setSetting('demo.seeded', true);
  host.jobs.start('demo.build', {}, 'Build the demo dataset');
}

export const demo = { handlers: {}, onDidOpenWorkspace: seedDemoOnce } satisfies FeatureContribution;
