/**
 * Child process for the kill test: imports one dataset into a workspace and prints each phase as a line on
 * stdout (synchronously, so the parent sees it before the work that follows starts).
 *   node <bundle> <workspaceDir> <name> <path>
 */
import fs from 'node:fs';
import path from 'node:path';
import { importDataset } from '../../main/features/datasets/importer.js';
import { openDatabase } from '../../main/platform/storage/database.js';

const [ws, name, file] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(path.join(ws, 'workspace.sqlite'));
const r = await importDataset(db, { paths: [file], name }, { progress: (p) => fs.writeSync(1, `${JSON.stringify(p)}\n`) });
fs.writeSync(1, `DONE ${JSON.stringify(r)}\n`);
db.close();
