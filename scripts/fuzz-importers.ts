/**
 * The importer fuzz property (test/support/importer-fuzz/run.ts) for as many cases as asked; prints how many
 * ran, were refused and were imported, per format. `npm test` runs a bounded number of the same cases.
 *   npm run fuzz:importers -- --cases 5000 [--seed N]
 */
import { parseArgs } from 'node:util';
import { dataDir } from '../test/support/data.js';
import { runImporterFuzz, type FuzzCounts } from '../test/support/importer-fuzz/run.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '1000' }, seed: { type: 'string' } } });
const cases = Number(values.cases);
if (!Number.isInteger(cases) || cases < 1) throw new Error('--cases takes a positive whole number');
const line = (c: FuzzCounts) => `${c.cases} cases: ${c.refused} refused, ${c.imported} imported`;
const s = await runImporterFuzz({
  dataDir: dataDir(),
  cases,
  seed: values.seed === undefined ? undefined : Number(values.seed),
  onProgress: (c) => process.stderr.isTTY && process.stderr.write(`\r${line(c)}`),
});
process.stderr.write('\n');
console.log(
  `importer fuzz, seed ${s.seed}: ${line(s)} in ${s.seconds.toFixed(1)} s (every case checked: reference counts, or refusal with file and line and the workspace unchanged)`,
);
for (const [format, c] of Object.entries(s.byFormat)) console.log(`  ${format.padEnd(9)} ${line(c)}`);
console.log(`  refusals at the same file and line as the reference (where it pins one down): ${s.sameLine} of ${s.refused}`);
