/** Extractive drafts over real Office users, then the JSONL export/import round trip into a fresh workspace. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRIBUTIONS } from '../../../main/features/index.js';
import { Host } from '../../../main/platform/host/host.js';
import { writeRationale, trainingTarget } from '../../../main/features/rationales/rationale-store.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { pulseAsync } from '../../support/cli.js';
import { dataSet, missingReason } from '../../support/data.js';
import { importOffice } from '../../support/rationale-data.js';
import { tempDir } from '../../support/temp.js';

const office = dataSet('amazon_office_lcrec');
let host: Host;
const cleanups: Array<() => void> = [];
let dirB: string;
let file: string;
let ds: number;

beforeAll(async () => {
  if (!office) return;
  const a = tempDir('pulse-draft-a-');
  const b = tempDir('pulse-draft-b-');
  cleanups.push(a.cleanup, b.cleanup);
  dirB = b.dir;
  file = path.join(a.dir, 'out', 'office-rationales.jsonl');
  host = Host.open(a.dir, 'cli', CONTRIBUTIONS);
  ds = (await importOffice(host.workspace.db, 'office'))!;
  const wsB = Workspace.open(dirB);
  await importOffice(wsB.db, 'office');
  wsB.close();
});
afterAll(async () => {
  await host?.close();
  for (const c of cleanups) c();
});

describe.skipIf(!office)(`extractive drafts and JSONL round trip${office ? '' : ` - skipped: ${missingReason('amazon_office_lcrec')}`}`, () => {
  it('drafts readable rationales for every user without a model, once', async () => {
    const job = await host.jobs.wait(host.jobs.start('rationales.draft', { dataset: 'office', users: 300 }, 'draft').id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ drafted: 300, skipped: 0 });
    const rows = host.workspace.db
      .prepare(
        "SELECT v.text, i.title FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id JOIN items i ON i.dataset_id = r.dataset_id AND i.idx = r.item_idx WHERE v.agent_kind = 'extractive'",
      )
      .all() as Array<{ text: string; title: string }>;
    expect(rows).toHaveLength(300);
    for (const r of rows) {
      expect(r.text).toMatch(/^(Across \d+ earlier purchase|This is the user's first purchase)/);
      expect(r.text).toMatch(/The chosen item, |They chose /);
      expect(r.text.split(/\s+/).length).toBeLessThanOrEqual(110);
    }
    const again = await host.jobs.wait(host.jobs.start('rationales.draft', { dataset: 'office', users: 300 }, 'draft again').id);
    expect(again.result).toMatchObject({ drafted: 0, skipped: 300 });
  });

  it('exports every version and imports them into a fresh workspace, idempotently', async () => {
    // A second version (a person's edit) on one rationale, so the file carries more than one version per record.
    const first = host.workspace.db.prepare("SELECT id FROM rationale_versions WHERE agent_kind = 'extractive' ORDER BY id LIMIT 1").pluck().get() as number;
    writeRationale(host.workspace.db, ds, trainingTarget(host.workspace.db, ds, 0)!, {
      text: 'Edited by a person.',
      agentKind: 'human',
      agent: { annotator: 'tester' },
      parentVersionId: first,
    });
    const out = await host.invoke('rationales.export', { dataset: 'office', out: file });
    expect(out).toMatchObject({ records: 300, versions: 301 });
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.type === 'rationale')).toHaveLength(300);
    expect(lines[0]).toMatchObject({
      schema: 'pulse.rationale/1',
      type: 'rationale',
      dataset: 'office',
      user: { original_id: expect.any(String) },
      target: { original_id: expect.any(String) },
    });

    const imp = await pulseAsync(['rationales', 'import', file, '--workspace', dirB, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.json).toMatchObject({ records: 300, versions: 301, duplicates: 0, unmatched: 0, refused: 0 });
    const again = await pulseAsync(['rationales', 'import', file, '--workspace', dirB, '--json']);
    expect(again.json).toMatchObject({ records: 300, versions: 0, duplicates: 301 });

    const dump = (db: Workspace['db']) =>
      db
        .prepare(
          `SELECT r.user_original_id, r.item_original_id, r.target_pos, v.version, v.uid, v.text, v.agent_kind, v.agent, v.created_at,
                  (SELECT uid FROM rationale_versions p WHERE p.id = v.parent_version_id) AS parent
           FROM rationale_versions v JOIN rationales r ON r.id = v.rationale_id ORDER BY r.user_original_id, v.version`,
        )
        .all();
    const wsB = Workspace.open(dirB);
    try {
      expect(dump(wsB.db)).toEqual(dump(host.workspace.db));
    } finally {
      wsB.close();
    }
    // The CLI export prints the counts too.
    const ex = await pulseAsync(['rationales', 'export', '--dataset', 'office', '--out', path.join(dirB, 'x.jsonl'), '--workspace', dirB, '--json']);
    expect(ex.json).toMatchObject({ records: 300, versions: 301 });
  });
});
