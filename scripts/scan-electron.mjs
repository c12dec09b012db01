#!/usr/bin/env node
// `npm run scan:electron`: Electronegativity (@doyensec/electronegativity) over the Electron door and everything
// the window runs (main/, common/, preload/, renderer/). Prints every finding, writes them to .cache/electronegativity.csv,
// and fails when a HIGH or MEDIUM finding is not explained in docs/security.md (its table "Electronegativity
// findings", one row per check id and file). docs/security.md quotes this output.
//
// Electronegativity's own CLI cannot parse its arguments here (it needs commander 2-6 and does not declare it;
// npm hoists the commander 10 another package needs), so this calls its runner, the same code the CLI runs.
// It tries once to fetch translations from GitHub (1 s timeout) and carries on in English without them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const INPUTS = ['main', 'common', 'preload', 'renderer'];
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// The folders have no package.json of their own: tell the checks which Electron the app is built for.
const electronVersion = String(pkg.optionalDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '');
const explained = explainedFindings(path.join(root, 'docs', 'security.md'));

/** Rows of the "Electronegativity findings" table in docs/security.md: `| CHECK_ID | file | why |`. */
function explainedFindings(file) {
  if (!fs.existsSync(file)) return new Set();
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('### Electronegativity findings');
  if (start < 0) return new Set();
  const rows = text.slice(start).split('\n').slice(1);
  const out = new Set();
  for (const line of rows) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((c) => c.trim().replace(/`/g, ''));
    if (cells.length >= 4 && /^[A-Z_]+$/.test(cells[1])) out.add(`${cells[1]} ${cells[2]}`);
  }
  return out;
}

console.log(`Electronegativity ${require('@doyensec/electronegativity/package.json').version} over ${INPUTS.join(', ')} (Electron ${electronVersion})`);
// One scan over a copy of the three folders: the global checks (navigation limits, permission handler, CSP)
// look for a setting anywhere in the app, so the folders must be scanned together, and the repository root
// would add tests, benchmarks and build output that never run in the window.
const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-scan-electron-'));
for (const input of INPUTS) fs.cpSync(path.join(root, input), path.join(scanDir, input), { recursive: true });
fs.copyFileSync(path.join(root, 'package.json'), path.join(scanDir, 'package.json'));
const problems = [];
let r;
try {
  r = await run({
    input: scanDir,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
} finally {
  fs.rmSync(scanDir, { recursive: true, force: true });
}
console.log(`${r.atomicChecks} atomic and ${r.globalChecks} global checks`);
for (const e of r.errors.filter((x) => !x.tolerable)) problems.push(`could not parse ${path.relative(scanDir, e.file)}: ${e.message}`);
const all = r.issues;
const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
all.sort((a, b) => order[a.severity.name] - order[b.severity.name] || a.id.localeCompare(b.id) || a.file.localeCompare(b.file));
const counts = {};
for (const i of all) counts[i.severity.name] = (counts[i.severity.name] ?? 0) + 1;
console.log(
  `findings: ${all.length} (${
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  })`,
);
for (const i of all) {
  const key = `${i.id} ${i.file}`;
  const serious = i.severity.name === 'HIGH' || i.severity.name === 'MEDIUM';
  const mark = serious ? (explained.has(key) ? 'explained in docs/security.md' : 'NOT EXPLAINED') : '';
  console.log(`  ${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(9)} ${i.id.padEnd(40)} ${`${i.file}:${i.location.line}`.padEnd(40)} ${mark}`);
  if (serious && !explained.has(key)) problems.push(`${i.severity.name} ${i.id} in ${i.file}:${i.location.line} is not explained in docs/security.md`);
}
// The CSP goes out as a header built in main/doors/server/security-headers.ts (both doors), which the CSP checks cannot
// see in the source; the evaluator they use (@doyensec/csp-evaluator) rates the real string here instead.
const headers = path.join(root, 'build', 'main', 'doors', 'server', 'security-headers.js');
if (fs.existsSync(headers)) {
  const { CONTENT_SECURITY_POLICY } = await import(headers);
  const csp = require('@doyensec/csp-evaluator');
  const names = Object.fromEntries(Object.entries(csp.severities).map(([k, v]) => [v, k]));
  const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
  console.log(`CSP of both doors: ${CONTENT_SECURITY_POLICY}`);
  for (const f of findings) {
    console.log(`  CSP ${names[f.severity]} ${f.directive} ${f.value ?? ''}: ${f.description}`);
    if (f.severity <= csp.severities.MEDIUM) problems.push(`the CSP has a ${names[f.severity]} finding: ${f.directive} ${f.description}`);
  }
  if (!findings.length) console.log('  CSP evaluator: no findings');
} else console.log('CSP not evaluated: build/ is missing (npm run build)');
fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
fs.writeFileSync(
  path.join(root, '.cache', 'electronegativity.csv'),
  ['severity,confidence,id,file,line,column,manualReview,description']
    .concat(
      all.map((i) =>
        [i.severity.name, i.confidence.name, i.id, i.file, i.location.line, i.location.column, i.manualReview, JSON.stringify(i.description)].join(','),
      ),
    )
    .join('\n') + '\n',
);
console.log('details: .cache/electronegativity.csv');
if (problems.length) {
  for (const p of problems) console.error(`scan:electron: ${p}`);
  process.exit(1);
}
console.log('scan:electron: no HIGH or MEDIUM finding left unexplained');
