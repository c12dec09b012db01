/**
 * Fuzzing the importers (issue 11): small slices of the real files in ../shared/data, damaged at random, each
 * either imported with the counts of an independent reference reader or refused with a file and a line and the
 * workspace unchanged (test/support/importer-fuzz/run.ts has the property). A bounded number of cases runs here;
 * `npm run fuzz:importers -- --cases N` runs more. The seed is new each run and printed on a failure; replay
 * with PULSE_FUZZ_SEED=N (or `--seed N`). A few refused cases also go through the real `pulse import` and
 * `pulse datasets --json`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/platform/storage/database.js';
import { pulse } from '../../support/cli.js';
import { dataDir, dataSet, missingReason } from '../../support/data.js';
import { runImporterFuzz } from '../../support/importer-fuzz/run.js';
import { tempDir } from '../../support/temp.js';
import { workspaceChecksum } from '../../support/workspace-checksum.js';

const CASES = Number(process.env.PULSE_FUZZ_CASES ?? 1500);
const present = ['amazon_beauty_s3rec', 'amazon_sports_s3rec', 'amazon_office_lcrec', 'ml-100k'].every((d) => dataSet(d));
const t = tempDir('pulse-fuzz-cli-');
afterAll(() => t.cleanup());

describe.skipIf(!present)(
  `importer fuzzing${present ? '' : ` (skipped: ${missingReason('amazon_beauty_s3rec, amazon_sports_s3rec, amazon_office_lcrec, ml-100k')})`}`,
  () => {
    it(`${CASES} damaged slices of real files: imported with the reference counts, or refused with file and line and nothing written`, async () => {
      const seed = process.env.PULSE_FUZZ_SEED ? Number(process.env.PULSE_FUZZ_SEED) : undefined;
      const s = await runImporterFuzz({ dataDir: dataDir(), cases: CASES, seed });
      console.log(`importer fuzz, seed ${s.seed}: ${s.cases} cases, ${s.refused} refused, ${s.imported} imported in ${s.seconds.toFixed(1)} s`);
      expect(s.cases).toBe(CASES);
      // Both outcomes occur in every format: the damage neither always breaks nor never breaks a file.
      for (const [format, c] of Object.entries(s.byFormat)) {
        expect(c.refused, format).toBeGreaterThan(0);
        expect(c.imported, format).toBeGreaterThan(0);
      }
    }, 180_000);

    it('through the real CLI: `pulse import` refuses with file and line; `pulse datasets --json` and the database content (but the job log) are unchanged', () => {
      const ws = path.join(t.dir, 'ws');
      const W = ['--workspace', ws, '--json'];
      const beauty = fs.readFileSync(path.join(dataSet('amazon_beauty_s3rec')!, 'Beauty.txt'), 'utf8').split('\n');
      const write = (name: string, body: string) => {
        const dir = fs.mkdtempSync(path.join(t.dir, 'case-'));
        fs.writeFileSync(path.join(dir, name), body);
        return path.join(dir, name);
      };
      const good = write('Beauty.txt', beauty.slice(0, 40).join('\n') + '\n');
      expect(pulse(['import', good, '--name', 'earlier', ...W]).code).toBe(0);
      const inter = fs.readFileSync(path.join(dataSet('ml-100k')!, 'ml-100k.inter'), 'utf8').split('\n');
      const cases: [string, number][] = [
        // The issue's own example: an S3-Rec line `2 5 x 7` among real lines.
        [write('Beauty.txt', [...beauty.slice(0, 5), '2 5 x 7', ...beauty.slice(5, 10)].join('\n') + '\n'), 6],
        [write('ml-100k.inter', [...inter.slice(0, 30), '196\t242\t3', ...inter.slice(30, 40)].join('\n') + '\n'), 31],
        [write('Office.inter.json', '{\n    "0": [\n        0,\n        "1"\n    ]\n}'), 4],
      ];
      const state = () => {
        const db = openDatabase(path.join(ws, 'workspace.sqlite'));
        try {
          // The refused import's job row (state failed, with the error) is the one thing written, by design.
          return workspaceChecksum(db, ['jobs']);
        } finally {
          db.close();
        }
      };
      const listBefore = pulse(['datasets', ...W]).json;
      const before = state();
      for (const [file, line] of cases) {
        const r = pulse(['import', file, '--name', 'bad', ...W]);
        expect(r.code, r.stdout).not.toBe(0);
        expect((r.json as { error: { file: string; line: number; hint: string } }).error).toMatchObject({ file, line, hint: expect.any(String) });
      }
      expect(pulse(['datasets', ...W]).json).toEqual(listBefore);
      expect(state()).toBe(before);
    }, 180_000);
  },
);
