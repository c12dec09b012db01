/**
 * S3-Rec text: one line per user, `user item item ...`, items time-ordered. Optional side files: item text
 * TSV (`id, asin, title words, "brand; cat; cat"`) and `*_item2attributes.json` (item id -> attribute ids).
 * The hot loop parses bytes directly: canonical integer ids never become strings.
 */
import { UserError } from '../../app/errors.js';
import { badLine, forEachLine, forEachTextLine, readJsonFile, type FormatReader, type RoleFile, type Sink } from './source.js';

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

async function readSequences(file: string, sink: Sink): Promise<void> {
  const users = sink.users;
  const items = sink.items;
  let rows = 0;
  const lines = await forEachLine(
    file,
    (buf, s, e, lineNo) => {
      let p = s;
      let u = -1;
      let tokens = 0;
      while (p < e) {
        let c = buf[p]!;
        if (c === SPACE || c === TAB) {
          p++;
          continue;
        }
        const t0 = p;
        let n = 0;
        let numeric = c !== 48 || p + 1 === e || buf[p + 1] === SPACE || buf[p + 1] === TAB; // no leading zero
        while (p < e) {
          c = buf[p]!;
          if (c === SPACE || c === TAB) break;
          if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
          else numeric = false;
          p++;
        }
        if (p - t0 > 8) numeric = false;
        const map = tokens === 0 ? users : items;
        const idx = numeric ? map.idxNum(n) : map.idx(buf.toString('utf8', t0, p));
        if (tokens === 0) u = idx;
        else sink.seq(u, idx);
        tokens++;
      }
      if (tokens === 1) throw badLine(file, lineNo, 'a user with no items.', 'Each line is `user item item ...`; remove the line or add its items.');
      rows += tokens > 0 ? tokens - 1 : 0;
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

/** Item text TSV: id, asin, title words, `brand; cat; cat`. A header row (non-numeric id) is skipped. */
async function readItemText(file: string, sink: Sink): Promise<void> {
  let unknown = 0;
  await forEachTextLine(
    file,
    (line, lineNo) => {
      const f = line.split('\t');
      if (lineNo === 1 && !/^\d+$/.test(f[0]!.trim())) return;
      if (f.length < 2)
        throw badLine(file, lineNo, 'expected tab-separated columns: id, asin, title, brand and categories.', 'Check the file is the item text TSV.');
      const i = sink.items.find(f[0]!.trim());
      if (i < 0) {
        unknown++;
        return;
      }
      const parts = (f[3] ?? '')
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean);
      const attrs = JSON.stringify({ asin: f[1]!.trim() });
      sink.itemMeta(i, (f[2] ?? '').trim(), parts[0] ?? '', parts.slice(1).join(', '), '', attrs);
    },
    (n) => sink.bytes(n),
  );
  if (unknown) sink.note(`${file}: ${unknown} item rows name items with no interactions (skipped).`);
}

async function readItemAttributes(file: string, sink: Sink): Promise<void> {
  const doc = await readJsonFile(file, (n) => sink.bytes(n));
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`${file}: expected a JSON object of item id -> attribute ids.`, {
      file,
      line: 1,
      hint: 'Pick the *_item2attributes.json file.',
      code: 'bad_input',
    });
  }
  for (const [id, attrs] of Object.entries(doc as Record<string, unknown>)) {
    const i = sink.items.find(id);
    if (i >= 0) sink.itemMeta(i, '', '', '', '', JSON.stringify({ attributeIds: attrs }));
  }
}
