/**
 * LC-Rec JSON: `X.inter.json` = {"user": [item, ...]} (time-ordered) and optional `X.item.json` =
 * {"item": {title, description, brand, categories}}. These are whole-file JSON documents, read into memory:
 * LC-Rec files are moderate in size (tens of MB), and readJsonFile refuses anything over 1 GiB.
 */
import { UserError } from '../../app/errors.js';
import { readJsonFile, type FormatReader, type RoleFile, type Sink } from './source.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.map(str).filter(Boolean).join(', ') : String(v).trim());

export const lcrecReader: FormatReader = {
  format: 'lcrec',
  ordered: true,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const doc = await readJsonFile(f.path, (n) => sink.bytes(n));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        throw new UserError(`${f.path}: expected a JSON object {"user": [item, ...]}.`, {
          file: f.path,
          line: 1,
          hint: 'Pick the .inter.json file, or choose another format.',
          code: 'bad_input',
        });
      }
      let rows = 0;
      for (const [user, seq] of Object.entries(doc as Record<string, unknown>)) {
        if (!Array.isArray(seq)) {
          throw new UserError(`${f.path}: user "${user}" maps to ${typeof seq}, not a list of items.`, {
            file: f.path,
            hint: 'Each user maps to a list of item ids.',
            code: 'bad_input',
          });
        }
        if (seq.length === 0) continue;
        const u = sink.users.idx(user);
        for (const it of seq) {
          sink.seq(u, typeof it === 'number' && Number.isInteger(it) && it >= 0 && it < 1 << 24 ? sink.items.idxNum(it) : sink.items.idx(String(it)));
          rows++;
        }
      }
      if (rows === 0)
        throw new UserError(`${f.path} holds no interactions.`, {
          file: f.path,
          line: 1,
          hint: 'Pick the .inter.json file with user sequences.',
          code: 'empty',
        });
    }
    for (const f of files.filter((x) => x.role === 'items')) {
      const doc = await readJsonFile(f.path, (n) => sink.bytes(n));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        throw new UserError(`${f.path}: expected a JSON object {"item": {title, ...}}.`, {
          file: f.path,
          line: 1,
          hint: 'Pick the .item.json file.',
          code: 'bad_input',
        });
      }
      let unknown = 0;
      for (const [id, m0] of Object.entries(doc as Record<string, unknown>)) {
        const i = sink.items.find(id);
        if (i < 0) {
          unknown++;
          continue;
        }
        const m = (m0 ?? {}) as Record<string, unknown>;
        const { title, brand, categories, description, ...rest } = m;
        sink.itemMeta(i, str(title), str(brand), str(categories), str(description), Object.keys(rest).length ? JSON.stringify(rest) : null);
      }
      if (unknown) sink.note(`${f.path}: ${unknown} items have no interactions (skipped).`);
    }
  },
};
