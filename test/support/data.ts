/** Finds ../shared/data (or PULSE_DATA_DIR) for tests and benchmarks; never copy those files into the repo. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function dataDir(): string {
  return path.resolve(repoRoot, process.env.PULSE_DATA_DIR ?? '../shared/data');
}

/** Absolute path of a shared data set folder, or null when it is not on this machine. */
export function dataSet(name: string): string | null {
  const d = path.join(dataDir(), name);
  return fs.existsSync(d) ? d : null;
}

export function missingReason(name: string): string {
  return `shared data set "${name}" not found under ${dataDir()} (set PULSE_DATA_DIR to the folder holding it)`;
}
