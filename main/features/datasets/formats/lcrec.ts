/**
 * LC-Rec JSON (github.com/RUCAIBox/LC-Rec, `data/X/X.inter.json` and `X.item.json`): `X.inter.json` =
 * {"user": [item, ...]} with each list time-ordered, and optional `X.item.json` = {"item": {title, description,
 * brand, categories}}. User keys and item ids are whole numbers from 0. These are whole-file JSON documents,
 * read into memory strictly (readJsonFile: no repeated keys, errors with line and JSON path); LC-Rec files are
 * moderate in size and anything over 1 GiB is refused. The rules are in docs/datasets.md.
 */
import { UserError } from '../../../base/errors.js';
import { MAX_ID, badJson, idRule, intId, shown } from './rules.js';
import { readJsonFile, type FormatReader, type RoleFile, type Sink } from './source.js';

const INTER_HINT = 'LC-Rec interactions are {"user id": [item id, ...]}: ids are whole numbers from 0, each list holds at least one item.';
const ITEM_HINT = 'LC-Rec item text is {"item id": {"title": "...", "description": "...", "brand": "...", "categories": "..."}}.';
const TEXT_FIELDS = ['title', 'description', 'brand', 'categories'] as const;

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : shown(v));

export const lcrecReader: FormatReader = {
  format: 'lcrec',
  ordered: true,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) {
      const { value: doc, text } = await readJsonFile(f.path, (n) => sink.bytes(n));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc))
        throw badJson(f.path, text, [], `found ${kind(doc)}; expected an object {"user id": [item id, ...]}.`, `${INTER_HINT} Pick the .inter.json file.`);
      let rows = 0;
      for (const [user, seq] of Object.entries(doc as Record<string, unknown>)) {
        const uid = intId(user, 0);
        if (uid < 0) throw badJson(f.path, text, [user], `found ${shown(user)} as a user id; expected ${idRule(0)}.`, INTER_HINT);
        if (!Array.isArray(seq)) throw badJson(f.path, text, [user], `found ${kind(seq)}; expected a list of item ids.`, INTER_HINT);
        if (seq.length === 0)
          throw badJson(f.path, text, [user], 'found an empty list; expected at least one item.', `Remove user ${shown(user)} or add items.`);
        const u = sink.users.idxNum(uid);
        for (let k = 0; k < seq.length; k++) {
          const it = seq[k];
          if (!(typeof it === 'number' && Number.isInteger(it) && it >= 0 && it <= MAX_ID))
            throw badJson(f.path, text, [user, k], `found ${kind(it)}; expected an item id (${idRule(0)}, as a JSON number).`, INTER_HINT);
          sink.seq(u, sink.items.idxNum(it));
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
      const { value: doc, text } = await readJsonFile(f.path, (n) => sink.bytes(n));
      if (!doc || typeof doc !== 'object' || Array.isArray(doc))
        throw badJson(f.path, text, [], `found ${kind(doc)}; expected an object {"item id": {"title": ...}}.`, `${ITEM_HINT} Pick the .item.json file.`);
      let unknown = 0;
      for (const [id, m] of Object.entries(doc as Record<string, unknown>)) {
        if (intId(id, 0) < 0) throw badJson(f.path, text, [id], `found ${shown(id)} as an item id; expected ${idRule(0)}.`, ITEM_HINT);
        if (!m || typeof m !== 'object' || Array.isArray(m)) throw badJson(f.path, text, [id], `found ${kind(m)}; expected an object of item text.`, ITEM_HINT);
        const rec = m as Record<string, unknown>;
        for (const k of TEXT_FIELDS)
          if (rec[k] !== undefined && typeof rec[k] !== 'string') throw badJson(f.path, text, [id, k], `found ${kind(rec[k])}; expected a string.`, ITEM_HINT);
        const i = sink.items.find(id);
        if (i < 0) {
          unknown++;
          continue;
        }
        const { title, brand, categories, description, ...rest } = rec as Record<string, string | undefined> & Record<string, unknown>;
        const s = (v: string | undefined) => (v ?? '').trim();
        sink.itemMeta(i, s(title), s(brand), s(categories), s(description), Object.keys(rest).length ? JSON.stringify(rest) : null);
      }
      if (unknown) sink.note(`${f.path}: ${unknown} items have no interactions (skipped).`);
    }
  },
};
