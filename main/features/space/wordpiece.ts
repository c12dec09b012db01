// BERT-style WordPiece tokenizer for ONNX sentence encoders: basic tokenization (lower-case, strip accents,
// split on whitespace and punctuation, CJK characters alone) then greedy longest-match-first word pieces.
// Reads a Hugging Face tokenizer.json (WordPiece model) or a plain vocab.txt.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';

export interface WordPieceConfig {
  vocab: Map<string, number>;
  lowercase: boolean;
  stripAccents: boolean;
  prefix: string;
  unkToken: string;
  clsToken: string;
  sepToken: string;
  padToken: string;
  maxLength: number;
  maxCharsPerWord: number;
}

export interface Encoded {
  ids: number[];
}

export class WordPieceTokenizer {
  private readonly unk: number;
  private readonly cls: number;
  private readonly sep: number;
  readonly pad: number;

  constructor(readonly config: WordPieceConfig) {
    const id = (t: string) => {
      const v = config.vocab.get(t);
      if (v === undefined) throw new UserError(`The tokenizer's vocabulary has no ${t} token.`, { code: 'bad_tokenizer' });
      return v;
    };
    this.unk = id(config.unkToken);
    this.cls = id(config.clsToken);
    this.sep = id(config.sepToken);
    this.pad = config.vocab.get(config.padToken) ?? 0;
  }

  /** Reads tokenizer.json (preferred) or vocab.txt from an encoder folder. */
  static fromDir(dir: string, maxLength?: number): WordPieceTokenizer {
    const tj = path.join(dir, 'tokenizer.json');
    const vt = path.join(dir, 'vocab.txt');
    const base = {
      lowercase: true,
      stripAccents: true,
      prefix: '##',
      unkToken: '[UNK]',
      clsToken: '[CLS]',
      sepToken: '[SEP]',
      padToken: '[PAD]',
      maxCharsPerWord: 100,
    };
    if (fs.existsSync(tj)) {
      const j = JSON.parse(fs.readFileSync(tj, 'utf8')) as {
        model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
        normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null } | null;
        truncation?: { max_length?: number } | null;
      };
      if (j.model?.type !== 'WordPiece' || !j.model.vocab) {
        throw new UserError(`Only WordPiece tokenizers (BERT-style) are supported; this one is ${j.model?.type ?? 'unknown'}.`, {
          file: tj,
          hint: 'Use a BERT-family sentence encoder (for example all-MiniLM-L6-v2 exported to ONNX), or put a vocab.txt beside model.onnx.',
          code: 'bad_tokenizer',
        });
      }
      const lowercase = j.normalizer?.lowercase ?? true;
      return new WordPieceTokenizer({
        ...base,
        vocab: new Map(Object.entries(j.model.vocab)),
        lowercase,
        stripAccents: j.normalizer?.strip_accents ?? lowercase,
        prefix: j.model.continuing_subword_prefix ?? '##',
        unkToken: j.model.unk_token ?? '[UNK]',
        maxCharsPerWord: j.model.max_input_chars_per_word ?? 100,
        maxLength: maxLength ?? j.truncation?.max_length ?? 256,
      });
    }
    if (fs.existsSync(vt)) {
      const lines = fs.readFileSync(vt, 'utf8').split(/\r?\n/);
      if (lines.at(-1) === '') lines.pop();
      return new WordPieceTokenizer({ ...base, vocab: new Map(lines.map((t, i) => [t, i])), maxLength: maxLength ?? 256 });
    }
    throw new UserError(`No tokenizer.json or vocab.txt in ${dir}.`, {
      file: dir,
      hint: 'An ONNX encoder folder holds model.onnx and its tokenizer (tokenizer.json or vocab.txt).',
      code: 'bad_encoder',
    });
  }

  /** Splits text into basic tokens (words and single punctuation marks). */
  basicTokens(text: string): string[] {
    // BERT drops control characters before anything else.
    // eslint-disable-next-line no-control-regex
    let t = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, '');
    if (this.config.lowercase) t = t.toLowerCase();
    if (this.config.stripAccents) t = t.normalize('NFD').replace(/\p{Mn}/gu, '');
    // CJK ideographs are tokens on their own, as in BERT.
    t = t.replace(/([\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff])/gu, ' $1 ');
    return t.match(/[\p{P}\p{S}]|[^\s\p{P}\p{S}]+/gu) ?? [];
  }

  private wordPieces(word: string, out: number[]): void {
    const chars = [...word];
    if (chars.length > this.config.maxCharsPerWord) {
      out.push(this.unk);
      return;
    }
    const pieces: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found = -1;
      while (start < end) {
        const sub = (start > 0 ? this.config.prefix : '') + chars.slice(start, end).join('');
        const id = this.config.vocab.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) {
        out.push(this.unk);
        return;
      }
      pieces.push(found);
      start = end;
    }
    out.push(...pieces);
  }

  /** [CLS] pieces... [SEP], truncated to maxLength. */
  encode(text: string): Encoded {
    const ids: number[] = [this.cls];
    for (const w of this.basicTokens(text)) {
      this.wordPieces(w, ids);
      if (ids.length >= this.config.maxLength - 1) break;
    }
    ids.length = Math.min(ids.length, this.config.maxLength - 1);
    ids.push(this.sep);
    return { ids };
  }
}
