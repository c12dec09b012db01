/**
 * S3-Rec text (github.com/aHuiWang/CIKM2020-S3Rec, `data/*.txt`): one line per user, `user item item ...`, items
 * time-ordered, every id a positive integer (0 is S3-Rec's padding index), ids separated by one space. Optional
 * side files: item text TSV (`id, asin, title words, "brand; cat; cat"`) and `*_item2attributes.json` (item id ->
 * attribute ids). The rules are in docs/datasets.md. The hot loop parses bytes directly: ids never become strings.
 */
import { UserError } from '../../../base/errors.js';
import { ASIN, MAX_ID, TrailingBlankLines, badJson, badLine, idRule, intId, shown } from './rules.js';
import { forEachLine, forEachTextLine, readJsonFile, type FormatReader, type RoleFile, type Sink } from './source.js';

const SPACE = 32;
const TAB = 9;

export const s3recReader: FormatReader = {
  format: 's3rec',
  ordered: true,
  async read(files: RoleFile[], sink: Sink) {
    for (const f of files.filter((x) => x.role === 'interactions')) await readSequences(f.path, sink);
    for (const f of files.filter((x) => x.role === 'item-text')) await readItemText(f.path, sink);
    for (const f of files.filter((x) => x.role === 'item-attributes')) await readItemAttributes(f.path, sink);
  },
};

const SEQ_HINT = 'Each line is `user item item ...`: positive whole numbers separated by single spaces.';

/** A token as the person would see it in the file (bytes shown as text, control bytes escaped). */
const token = (buf: Buffer, s: number, e: number) => shown(buf.toString('latin1', s, Math.min(e, s + 64)));

async function readSequences(file: string, sink: Sink): Promise<void> {
  const users = sink.users;
  const items = sink.items;
  const blanks = new TrailingBlankLines(file);
  /** Line of each user's record, by user index (duplicate users are refused naming both lines). */
  let lineOf = new Int32Array(1 << 12);
  let rows = 0;
  const lines = await forEachLine(
    file,
    (buf, s, e, lineNo) => {
      // S3-Rec's own reader strips each line: spaces or tabs at either end are ignored.
      while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
      while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
      if (s === e) {
        blanks.blank(lineNo);
        return;
      }
      blanks.record();
      let p = s;
      let u = -1;
      let tokens = 0;
      for (;;) {
        const t0 = p;
        let n = 0;
        let ok = true;
        while (p < e && buf[p] !== SPACE) {
          const c = buf[p]! - 48;
          if (c < 0 || c > 9 || (p === t0 && c === 0)) ok = false;
          else n = n * 10 + c;
          p++;
        }
        if (p === t0) {
          throw badLine(
            file,
            lineNo,
            `found two spaces in a row after ${tokens === 1 ? 'the user id' : `item ${tokens - 1}`}; expected ids separated by single spaces.`,
            SEQ_HINT,
          );
        }
        if (!ok || p - t0 > 10 || n > MAX_ID) {
          throw badLine(
            file,
            lineNo,
            `found ${token(buf, t0, p)} as the ${tokens === 0 ? 'user id' : `id of item ${tokens}`}; expected ${idRule(1)}.`,
            `${SEQ_HINT} Fix or remove this line.`,
          );
        }
        if (tokens === 0) {
          const before = users.size;
          u = users.idxNum(n);
          if (u < before) {
            throw badLine(
              file,
              lineNo,
              `found user ${n} again (first on line ${lineOf[u]}); expected each user on one line.`,
              'Merge the two lines into one (items in time order), or remove one of them.',
            );
          }
          if (u >= lineOf.length) {
            const next = new Int32Array(lineOf.length * 2);
            next.set(lineOf);
            lineOf = next;
          }
          lineOf[u] = lineNo;
        } else sink.seq(u, items.idxNum(n));
        tokens++;
        if (p >= e) break;
        p++; // the single space
        if (p >= e) break;
      }
      if (tokens === 1) throw badLine(file, lineNo, 'found a user with no items; expected `user item item ...`.', 'Remove the line or add its items.');
      rows += tokens - 1;
    },
    (n) => sink.bytes(n),
  );
  if (rows === 0) {
    throw new UserError(lines === 0 ? `${file} is empty.` : `${file} holds no interactions.`, {
      file,
      line: 1,
      hint: 'S3-Rec files have one line per user: `user item item ...`.',
      code: 'empty',
    });
  }
}

/**
 * Item text TSV (derived for S3-Rec files: docs/datasets.md): `id, asin, title words[, brand; cat; cat]`,
 * tab-separated, UTF-8, an optional header row (line 1 whose first field is not an id). Every row has the
 * same 3 or 4 fields as the first; each item id once.
 */
async function readItemText(file: string, sink: Sink): Promise<void> {
  let unknown = 0;
  let width = 0;
  const seen = new Map<number, number>();
  await forEachTextLine(
    file,
    (line, lineNo) => {
      const f = line.split('\t');
      if (width === 0) {
        if (f.length !== 3 && f.length !== 4) {
          throw badLine(
            file,
            lineNo,
            `found ${f.length} tab-separated fields; expected 3 or 4: item id, asin, title words[, brand and categories].`,
            'Check that this is the item text TSV of the S3-Rec files.',
          );
        }
        width = f.length;
        if (intId(f[0]!, 1) < 0) return; // the header row
      }
      if (f.length !== width)
        throw badLine(file, lineNo, `found ${f.length} tab-separated fields; expected ${width}, as in the first row.`, 'Fix or remove the line.');
      const id = intId(f[0]!, 1);
      if (id < 0) throw badLine(file, lineNo, `found ${shown(f[0])} as the item id; expected ${idRule(1)}.`, 'Fix or remove the line.');
      const first = seen.get(id);
      if (first !== undefined)
        throw badLine(file, lineNo, `found item ${id} again (first on line ${first}); expected each item once.`, 'Remove one of the two rows.');
      seen.set(id, lineNo);
      if (!ASIN.test(f[1]!))
        throw badLine(file, lineNo, `found ${shown(f[1])} as the asin; expected 10 digits or capital letters.`, 'Fix the asin or remove the line.');
      const i = sink.items.find(f[0]!);
      if (i < 0) {
        unknown++;
        return;
      }
      const parts = (f[3] ?? '')
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean);
      sink.itemMeta(i, f[2]!.trim(), parts[0] ?? '', parts.slice(1).join(', '), '', JSON.stringify({ asin: f[1] }));
    },
    (n) => sink.bytes(n),
  );
  if (unknown) sink.note(`${file}: ${unknown} item rows name items with no interactions (skipped).`);
}

/** `*_item2attributes.json`: {"item id": [attribute id, ...]}, item ids from 1, attribute ids from 0. */
async function readItemAttributes(file: string, sink: Sink): Promise<void> {
  const { value: doc, text } = await readJsonFile(file, (n) => sink.bytes(n));
  const hint = 'The file maps each item id to a list of attribute ids, e.g. {"1": [3, 4]}.';
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw badJson(file, text, [], `found ${Array.isArray(doc) ? 'a list' : typeof doc}; expected an object of item id -> attribute ids.`, hint);
  for (const [id, attrs] of Object.entries(doc as Record<string, unknown>)) {
    if (intId(id, 1) < 0) throw badJson(file, text, [id], `found ${shown(id)} as an item id; expected ${idRule(1)}.`, hint);
    if (!Array.isArray(attrs)) throw badJson(file, text, [id], `found ${shown(attrs)}; expected a list of attribute ids.`, hint);
    attrs.forEach((a, k) => {
      if (!(typeof a === 'number' && Number.isInteger(a) && a >= 0 && a <= MAX_ID))
        throw badJson(file, text, [id, k], `found ${shown(a)}; expected an attribute id (${idRule(0)}).`, hint);
    });
    const i = sink.items.find(id);
    if (i >= 0) sink.itemMeta(i, '', '', '', '', JSON.stringify({ attributeIds: attrs }));
  }
}
