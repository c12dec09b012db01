/**
 * The supervised fine-tuning set for the SLM ranker as chat JSONL ({"messages": [system, user, assistant]}, the
 * form common fine-tuning tools read), for people who fine-tune elsewhere. One example per user: the target is
 * the LAST TRAINING item (never validation or test), the prompt holds the N items before it and K stored
 * candidates, and the reply is "Let me think: <rationale> The recommendation is <title>" (the paper's form).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../platform/storage/database.js';
import { candidateSet, itemCount, itemTitles, rankUsers, userRationale } from './rank-data.js';
import { rankMessages } from './rank-prompt.js';

export interface SftExportOptions {
  datasetId: number;
  out: string;
  history: number;
  candidates: number;
  users?: number;
  seed: number;
  requireRationale: boolean;
}

export function exportSft(db: Db, o: SftExportOptions): { file: string; examples: number; withRationale: number } {
  const file = path.resolve(o.out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const users = rankUsers(db, o.datasetId, o.users);
  const nItems = itemCount(db, o.datasetId);
  const titles = itemTitles(db, o.datasetId);
  const lines: string[] = [];
  let withRationale = 0;
  for (const u of users) {
    // Needs a training target with at least one item before it.
    if (u.sequence.length < 4) continue;
    const rationale = userRationale(db, o.datasetId, u.userIdx);
    if (o.requireRationale && !rationale) continue;
    const set = candidateSet(db, o.datasetId, u, nItems, o.candidates, o.seed, 'sft');
    const history = u.sequence.slice(Math.max(0, set.positivePos - o.history), set.positivePos).map((i) => titles[i]!);
    const messages = rankMessages(
      history,
      set.items.map((i) => titles[i]!),
      rationale?.text ?? null,
      titles[set.positive]!,
    );
    if (rationale) withRationale++;
    lines.push(JSON.stringify({ messages }));
  }
  const tmp = `${file}.writing`;
  fs.writeFileSync(tmp, lines.length ? lines.join('\n') + '\n' : '');
  fs.renameSync(tmp, file);
  return { file, examples: lines.length, withRationale };
}
